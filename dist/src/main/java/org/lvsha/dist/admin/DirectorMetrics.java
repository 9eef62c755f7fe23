package org.lvsha.dist.admin;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;
import org.lvsha.core.ipvs.DestinationStatus;
import org.lvsha.core.ipvs.ServiceStatus;
import org.lvsha.dist.config.DaemonConfigLoader;
import org.lvsha.dist.config.ServiceConfig;
import org.lvsha.dist.daemon.DirectorDaemon;
import org.lvsha.health.check.FailureReason;
import org.lvsha.health.event.HealthEvent;
import org.lvsha.sync.replication.ConnectionReplicator;
import org.lvsha.sync.replication.SyncRejection;
import org.lvsha.vrrp.VrrpCounters;
import org.lvsha.vrrp.codec.RejectReason;
import org.lvsha.vrrp.config.InstanceConfig;
import org.lvsha.vrrp.node.InstanceStatus;
import org.lvsha.vrrp.proto.State;

/**
 * The director's Prometheus metrics. Every meter reads the parts' own counters at scrape time (VRRP counters, sync
 * metrics, data-plane counters, health counters), so nothing on a hot path updates a Micrometer object. The table's
 * rows change with reloads and health, so they are {@link MultiGauge}s refreshed just before each scrape.
 */
public final class DirectorMetrics {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final DirectorDaemon daemon;
    private final MultiGauge weights;
    private final MultiGauge serviceConnections;
    private final MultiGauge destinationActive;
    private final MultiGauge dataPlane;

    public DirectorMetrics(DirectorDaemon daemon) {
        this.daemon = daemon;
        new JvmMemoryMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        vrrp();
        sync();
        health();
        Gauge.builder("lvsha.parts.failed", daemon, d -> d.partsFailure() == null ? 0 : 1)
                .description("1 while a part (data plane, sync) has failed and the node holds its instances in FAULT").register(registry);
        FunctionCounter.builder("lvsha.failovers", daemon, DirectorDaemon::failovers).description("planned switchovers requested here").register(registry);
        FunctionCounter.builder("lvsha.reloads", daemon, DirectorDaemon::reloads).description("reloads applied").register(registry);
        FunctionCounter.builder("lvsha.reloads.refused", daemon, DirectorDaemon::reloadsRefused).description("reloads refused (invalid or needing a restart)").register(registry);
        weights = MultiGauge.builder("lvsha.ipvs.destination.weight").description("effective weight in the table").register(registry);
        destinationActive = MultiGauge.builder("lvsha.ipvs.destination.active.connections").register(registry);
        serviceConnections = MultiGauge.builder("lvsha.ipvs.service.connections").description("connections scheduled since start (counter semantics)").register(registry);
        dataPlane = MultiGauge.builder("lvsha.dataplane.events").description("userspace data-plane counters by event (counter semantics)").register(registry);
    }

    private void vrrp() {
        for (InstanceConfig i : daemon.config().vrrp().instances()) {
            Tags t = Tags.of("instance", i.name(), "vrid", Integer.toString(i.vrid()));
            Gauge.builder("lvsha.vrrp.master", daemon, d -> state(d, i.name()) == State.MASTER ? 1 : 0)
                    .tags(t).description("1 while this instance is master").register(registry);
            Gauge.builder("lvsha.vrrp.state", daemon, d -> state(d, i.name()).ordinal())
                    .tags(t).description("state: " + stateLegend()).register(registry);
            Gauge.builder("lvsha.vrrp.priority", daemon, d -> {
                InstanceStatus s = d.vrrp().node().status(i.name());
                return s == null ? 0 : s.priority();
            }).tags(t).register(registry);
            counter("lvsha.vrrp.adverts.sent", t, d -> d.vrrp().node().counters(i.name()).advertsSent());
            counter("lvsha.vrrp.adverts.received", t, d -> d.vrrp().node().counters(i.name()).receivedOk());
            counter("lvsha.vrrp.priority.zero.sent", t, d -> d.vrrp().node().counters(i.name()).priorityZeroSent());
            counter("lvsha.vrrp.priority.zero.received", t, d -> d.vrrp().node().counters(i.name()).priorityZeroReceived());
            counter("lvsha.vrrp.address.errors", t, d -> d.vrrp().node().counters(i.name()).addressErrors());
            for (State s : State.values()) {
                counter("lvsha.vrrp.transitions", t.and("to", s.name()), d -> d.vrrp().node().counters(i.name()).transitionsTo(s));
            }
        }
        for (RejectReason r : RejectReason.values()) {
            counter("lvsha.vrrp.adverts.rejected", Tags.of("reason", r.name()), d -> d.vrrp().counters().rejectedCount(r));
        }
    }

    private static String stateLegend() {
        StringBuilder b = new StringBuilder();
        for (State s : State.values()) {
            b.append(b.length() == 0 ? "" : ", ").append(s.ordinal()).append('=').append(s.name());
        }
        return b.toString();
    }

    private static State state(DirectorDaemon d, String instance) {
        InstanceStatus s = d.vrrp().node().status(instance);
        return s == null ? State.INITIALIZE : s.state();
    }

    private void sync() {
        if (daemon.replicator().isEmpty()) {
            return;
        }
        ConnectionReplicator r = daemon.replicator().get();
        Gauge.builder("lvsha.sync.ready", r, x -> x.isReady() ? 1 : 0).description("1 once the state transfer is done").register(registry);
        Gauge.builder("lvsha.sync.members", r, x -> x.members().size()).register(registry);
        Gauge.builder("lvsha.sync.replicated.connections", r, x -> x.store().size()).register(registry);
        Gauge.builder("lvsha.sync.lag.p99.seconds", r, x -> x.metrics().lag().percentileMicros(0.99) / 1e6).register(registry);
        Gauge.builder("lvsha.sync.lag.p50.seconds", r, x -> x.metrics().lag().percentileMicros(0.5) / 1e6).register(registry);
        Gauge.builder("lvsha.sync.lag.recent.max.seconds", r, x -> x.metrics().recentLagMaxMicros() / 1e6)
                .description("largest replication lag of the events applied in the last ~2 s").register(registry);
        Gauge.builder("lvsha.sync.send.backlog", r, ConnectionReplicator::sendBacklog)
                .description("batches waiting for the sender thread").register(registry);
        FunctionCounter.builder("lvsha.sync.events.dropped", r, x -> x.metrics().eventsDropped())
                .description("events lost because the send queue was full (a silent peer)").register(registry);
        FunctionCounter.builder("lvsha.sync.events.published", r, x -> x.metrics().eventsPublished()).register(registry);
        FunctionCounter.builder("lvsha.sync.events.applied", r, x -> x.metrics().eventsApplied()).register(registry);
        FunctionCounter.builder("lvsha.sync.bytes.sent", r, x -> x.metrics().bytesSent()).register(registry);
        FunctionCounter.builder("lvsha.sync.bytes.received", r, x -> x.metrics().bytesReceived()).register(registry);
        FunctionCounter.builder("lvsha.sync.state.transfers.served", r, x -> x.metrics().stateTransfersServed()).register(registry);
        daemon.link().ifPresent(l -> {
            FunctionCounter.builder("lvsha.sync.dataplane.published", l, x -> x.published())
                    .description("connection events of the local data plane published to sync").register(registry);
            FunctionCounter.builder("lvsha.sync.dataplane.inserted", l, x -> x.inserted())
                    .description("connections from other directors inserted into the local data plane").register(registry);
            FunctionCounter.builder("lvsha.sync.dataplane.insert.refused", l, x -> x.insertRefused()).register(registry);
        });
        for (SyncRejection s : SyncRejection.values()) {
            FunctionCounter.builder("lvsha.sync.rejected", r, x -> x.metrics().rejected(s)).tags("reason", s.name()).register(registry);
        }
    }

    private void health() {
        FunctionCounter.builder("lvsha.health.checks", daemon, d -> d.health().counters().checksRun()).description("probes run").register(registry);
        for (FailureReason f : FailureReason.values()) {
            FunctionCounter.builder("lvsha.health.check.failures", daemon, d -> d.health().counters().failures(f))
                    .tags("reason", f.name()).register(registry);
        }
        for (HealthEvent.Kind k : HealthEvent.Kind.values()) {
            FunctionCounter.builder("lvsha.health.events", daemon, d -> d.healthEvents().count(k))
                    .description("health transitions: servers up, down, drained, in maintenance, ready; quorum lost, regained")
                    .tags("kind", k.name()).register(registry);
        }
        FunctionCounter.builder("lvsha.events.published", daemon, d -> d.events().published())
                .description("events numbered on the notify stream").register(registry);
        FunctionCounter.builder("lvsha.events.dropped", daemon, d -> d.events().dropped())
                .description("notify events dropped for a writer that far behind").register(registry);
    }

    private void counter(String name, Tags tags, ToDoubleFunction<DirectorDaemon> f) {
        FunctionCounter.builder(name, daemon, f).tags(tags).register(registry);
    }

    /** The Prometheus text exposition, with the table rows refreshed first. */
    public synchronized String scrape() {
        List<MultiGauge.Row<?>> w = new ArrayList<>();
        List<MultiGauge.Row<?>> a = new ArrayList<>();
        List<MultiGauge.Row<?>> c = new ArrayList<>();
        for (ServiceStatus s : daemon.backend().ipvs().services()) {
            String id = DaemonConfigLoader.serviceId(s.service().key());
            c.add(MultiGauge.Row.of(Tags.of("service", id), s.stats().conns()));
            for (DestinationStatus ds : s.destinations()) {
                Tags t = Tags.of("service", id, "server", ServiceConfig.realServerId(ds.destination()));
                w.add(MultiGauge.Row.of(t, ds.destination().weight()));
                a.add(MultiGauge.Row.of(t, ds.activeConns()));
            }
        }
        weights.register(w, true);
        destinationActive.register(a, true);
        serviceConnections.register(c, true);
        List<MultiGauge.Row<?>> p = new ArrayList<>();
        daemon.backend().counters().forEach((k, v) -> p.add(MultiGauge.Row.of(Tags.of("event", k), v)));
        dataPlane.register(p, true);
        return registry.scrape();
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /** For tests: the counters of the whole node. */
    static VrrpCounters nodeCounters(DirectorDaemon d) {
        return d.vrrp().counters();
    }
}
