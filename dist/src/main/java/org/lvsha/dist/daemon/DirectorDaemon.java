package org.lvsha.dist.daemon;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.lvsha.core.config.InvalidConfigException;
import org.lvsha.dist.config.DaemonConfig;
import org.lvsha.dist.config.DaemonConfigLoader;
import org.lvsha.dist.config.IpvsBackend;
import org.lvsha.dist.vrrp.VrrpRuntime;
import org.lvsha.health.check.CheckTransport;
import org.lvsha.health.engine.HealthEngine;
import org.lvsha.health.event.HealthEventCounts;
import org.lvsha.health.event.HealthEventListener;
import org.lvsha.health.event.LoggingHealthEventListener;
import org.lvsha.health.policy.AdminState;
import org.lvsha.core.dataplane.DataPlane;
import org.lvsha.sync.dataplane.ConnectionTableLink;
import org.lvsha.sync.replication.ConnectionReplicator;
import org.lvsha.vrrp.config.InstanceConfig;
import org.lvsha.vrrp.config.NodeConfig;
import org.lvsha.vrrp.config.TrackConfig;
import org.lvsha.vrrp.node.InstanceStatus;
import org.lvsha.vrrp.notify.TransitionEvent;
import org.lvsha.vrrp.proto.State;
import org.lvsha.vrrp.track.TrackSample;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One director: the composition of the forwarding backend, the table, health checking, connection sync and VRRP.
 *
 * <p><b>Startup order</b> (each step harmless if the next fails): open the backend (the userspace data plane
 * removes a stale drop table); program the table (services lvsha does not configure are removed, new real servers
 * start at weight 0); start health checks, which drive this node's own table whatever its VRRP role; join sync and
 * wait for the state transfer; only then start VRRP, which removes stale VIP/DIP addresses and enters BACKUP
 * (RFC 5798 §6.4.1). A node that cannot get the cluster's table does not take part in the election, so it can
 * never become master with an empty table.
 *
 * <p><b>The backup's table is current</b>: both directors check and each programs its own results, so a new master
 * forwards with the right weights from its first packet. (Programming the table only on becoming master left the
 * new master with weight 0 everywhere until its transition had been handled: every new connection in that window
 * — 70 ms in a switchover drill — was dropped.) Only the master receives the VIP's traffic, so only its results
 * change where clients go. Leaving master flushes pending sync events; addresses and announcements are VRRP's own.
 *
 * <p><b>Parts failing</b>: a watcher checks every 200 ms that the forwarding backend still forwards and that sync
 * is not refused by its cluster; on failure it writes 1 into the parts-fault file, which every instance tracks
 * with weight 0, and hands the node the same sample at once: the instances go to FAULT, a master sends priority 0
 * and removes its addresses, so the peer takes over after Skew_Time instead of traffic being black-holed here.
 */
public final class DirectorDaemon implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DirectorDaemon.class);
    private static final Duration WATCH_EVERY = Duration.ofMillis(200);
    public static final String TEST_HOOKS_PROPERTY = "lvsha.testHooks";

    /** The last transition of an instance or sync group, as status shows it. */
    public record Transition(String type, String name, State from, State to, String reason, int priority, Instant at) {
    }

    /**
     * @param runDirectory where the parts-fault file lives (one directory per daemon)
     * @param statusFile   optional VRRP status file (as {@code lvsha vrrp --status-file})
     * @param eventsSocket where the notify stream ({@link DirectorEvents}) is served; or null for none
     * @param eventsFile   a file the notify stream is appended to; or null for none
     */
    public record Options(Path runDirectory, Path statusFile, Duration syncReadyTimeout, Path eventsSocket, Path eventsFile) {
        public Options(Path runDirectory, Path statusFile, Duration syncReadyTimeout) {
            this(runDirectory, statusFile, syncReadyTimeout, null, null);
        }
    }

    private final Options options;
    private volatile DaemonConfig config;
    private final ForwardingBackend backend;
    private final TableProgrammer table;
    private final CheckTransport checkTransport;
    private volatile HealthEngine health;
    private final ConnectionReplicator replicator;
    private final ConnectionTableLink link;
    private final Path faultFile;
    private final KernelSyncDaemons kernelSync;
    private final DirectorEvents events;
    private final HealthEventCounts healthEvents;
    private VrrpRuntime vrrp;
    private final ScheduledExecutorService watcher;
    private final Map<String, Transition> lastTransitions = new ConcurrentHashMap<>();
    private final Instant startedAt = Instant.now();
    private volatile String partsFailure;
    private volatile boolean closed;
    private final java.util.concurrent.atomic.AtomicLong failovers = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong reloads = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong reloadsRefused = new java.util.concurrent.atomic.AtomicLong();

    private DirectorDaemon(DaemonConfig config, Options options, ForwardingBackend backend, TableProgrammer table,
                           CheckTransport checks, HealthEngine health, ConnectionReplicator replicator, ConnectionTableLink link,
                           Path faultFile, KernelSyncDaemons kernelSync, DirectorEvents events, HealthEventCounts healthEvents) {
        this.kernelSync = kernelSync;
        this.events = events;
        this.healthEvents = healthEvents;
        this.config = config;
        this.options = options;
        this.backend = backend;
        this.table = table;
        this.checkTransport = checks;
        this.health = health;
        this.replicator = replicator;
        this.link = link;
        this.faultFile = faultFile;
        this.watcher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "lvsha-parts-watch");
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts every part in the safe order; on failure whatever was started is stopped again before the throw. */
    public static DirectorDaemon start(DaemonConfig config, Options options) {
        List<AutoCloseable> started = new ArrayList<>();
        try {
            Files.createDirectories(options.runDirectory());
            Path faultFile = options.runDirectory().resolve("parts-fault");
            Files.writeString(faultFile, "0\n");
            DirectorEvents events = DirectorEvents.open(config.node(), options.eventsSocket(), options.eventsFile());
            started.add(events);
            HealthEventCounts healthEvents = new HealthEventCounts();

            ForwardingBackend backend = ForwardingBackend.open(config.ipvs());
            started.add(backend);
            LOG.info("forwarding backend: {}{}", backend.kind(),
                    config.ipvs().backend() == IpvsBackend.AUTO ? " (auto)" : "");
            TableProgrammer table = new TableProgrammer(backend.ipvs());
            if (backend.kind() != IpvsBackend.USERSPACE) {
                backend.ipvs().setTimeouts(config.ipvs().timeouts());
            }
            table.program(config.ipvs().services());
            LOG.info("table programmed: {} virtual service(s)", config.ipvs().services().size());

            CheckTransport checks = CheckTransport.create(1, 4);
            started.add(checks);
            HealthEngine health = buildHealth(config, checks, table, null, healthListener(healthEvents, events));
            started.add(health);
            health.setActive(true).join();
            health.start();

            ConnectionReplicator replicator = null;
            ConnectionTableLink link = null;
            if (config.sync().enabled()) {
                replicator = ConnectionReplicator.start(config.sync().replication());
                started.add(replicator);
                if (!replicator.awaitReady(options.syncReadyTimeout())) {
                    String why = "no state transfer within " + options.syncReadyTimeout().toSeconds() + " s";
                    try {
                        replicator.ready().getNow(null); // throws if the join failed (e.g. the key was refused)
                    } catch (java.util.concurrent.CompletionException ex) {
                        why = String.valueOf(ex.getCause() != null ? ex.getCause().getMessage() : ex.getMessage());
                    }
                    throw new IllegalStateException("connection sync " + config.sync().replication().channelName() + ": " + why
                            + "; not entering VRRP without the cluster's connection table"
                            + (replicator.refusedByCluster() ? " (this node's sync key was refused)" : ""));
                }
                LOG.info("connection sync ready: {} member(s), {} connection(s) received", replicator.members().size(),
                        replicator.metrics().stateEntriesReceived());
                if (backend.dataPlane().isPresent()) {
                    // The state transfer filled the replica, not the data plane: insert it all, then follow events.
                    DataPlane plane = backend.dataPlane().get();
                    link = new ConnectionTableLink(replicator::publish, plane::insertAsync);
                    replicator.onRemoteEvents(link);
                    long t0 = System.nanoTime();
                    int taken = link.insertAll(replicator.store(), options.syncReadyTimeout());
                    plane.setConnectionListener(link);
                    LOG.info("data plane linked to sync: {} replicated connection(s) inserted in {} ms", taken,
                            (System.nanoTime() - t0) / 1_000_000);
                }
            }
            KernelSyncDaemons kernelSync = null;
            if (backend.kind() == IpvsBackend.KERNEL && config.sync().enabled()) {
                kernelSync = KernelSyncDaemons.start(config, backend.ipvs(), replicator);
                started.add(kernelSync);
            }
            DirectorDaemon d = new DirectorDaemon(config, options, backend, table, checks, health, replicator, link, faultFile, kernelSync,
                    events, healthEvents);
            d.vrrp = VrrpRuntime.start(withPartsTracking(config.vrrp(), faultFile),
                    new VrrpRuntime.Options(options.statusFile(), null, null).withSink(d::onTransition).withSink(events));
            d.watcher.scheduleWithFixedDelay(d::watchParts, WATCH_EVERY.toMillis(), WATCH_EVERY.toMillis(), TimeUnit.MILLISECONDS);
            LOG.info("director {} running: VRRP started as backup", config.node());
            return d;
        } catch (IOException e) {
            closeAll(started);
            throw new IllegalStateException("cannot create the run directory " + options.runDirectory() + ": " + e.getMessage(), e);
        } catch (Exception e) {
            closeAll(started);
            if (e instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    private static final HealthEventListener HEALTH_LOG = new LoggingHealthEventListener();

    /** Health events go to the log, the metrics' counts and the notify stream, in that order, on the policy thread. */
    private static HealthEventListener healthListener(HealthEventCounts counts, DirectorEvents events) {
        return e -> {
            HEALTH_LOG.onEvent(e);
            counts.onEvent(e);
            events.onEvent(e);
        };
    }

    private static HealthEngine buildHealth(DaemonConfig config, CheckTransport checks, TableProgrammer table,
                                            Map<String, org.lvsha.health.policy.ServiceState> carried, HealthEventListener listener) {
        HealthEngine.Builder b = HealthEngine.builder().services(config.healthServices()).transport(checks).sink(table)
                .listener(listener);
        if (config.adminDirectory() != null) {
            b.adminDirectory(config.adminDirectory(), Duration.ofSeconds(1));
        }
        if (carried != null) {
            b.carryFrom(carried);
        }
        return b.build();
    }

    /**
     * Every instance also tracks the parts-fault file with weight 0 (keepalived's track_file: a non-zero number is
     * FAULT). The file makes the verdict visible to an operator and survives the tracker's own re-reads.
     */
    static NodeConfig withPartsTracking(NodeConfig vrrp, Path faultFile) {
        List<InstanceConfig> instances = new ArrayList<>();
        for (InstanceConfig i : vrrp.instances()) {
            List<TrackConfig> tracks = new ArrayList<>(i.tracks());
            tracks.add(new TrackConfig.File(faultFile, Duration.ofMillis(100), 0));
            instances.add(new InstanceConfig(i.name(), i.vrid(), i.version(), i.interfaceName(), i.primaryAddress(), i.addresses(),
                    i.priority(), i.advertIntervalCentis(), i.preempt(), i.preemptDelay(), i.accept(), i.authPassword(),
                    i.unicastPeers(), tracks, i.hooks(), i.announce()));
        }
        return new NodeConfig(instances, vrrp.groups(), vrrp.reannounceMinGap());
    }

    // ------------------------------------------------------------------ transitions

    /** On the VRRP event stream's thread, in order. */
    private void onTransition(TransitionEvent e) {
        lastTransitions.put(e.type() + ":" + e.name(), new Transition(e.type(), e.name(), e.from(), e.to(), e.reason().name(),
                e.priority(), Instant.now()));
        // VrrpNode logs each transition with its reason at INFO; this line adds nothing but the daemon's view.
        LOG.debug("transition {} {}: {} -> {} because {} (priority {})", e.type().toLowerCase(), e.name(), e.from(), e.to(),
                e.reason(), e.priority());
        if (kernelSync != null) {
            kernelSync.onTransition(e);
        }
        if (!"INSTANCE".equals(e.type())) {
            return;
        }
        boolean master = vrrp != null && vrrp.node().statuses().values().stream().anyMatch(s -> s.state() == State.MASTER);
        if (e.from() == State.MASTER && e.to() != State.MASTER && !master && replicator != null) {
            // What this node forwarded last must reach the new master now, not at the next flush interval.
            replicator.flush();
        }
    }

    // ------------------------------------------------------------------ parts watch

    private void watchParts() {
        try {
            Optional<String> failure = backend.failure();
            if (failure.isEmpty() && replicator != null && replicator.refusedByCluster()) {
                failure = Optional.of("connection sync refused by its cluster (wrong key?)");
            }
            String now = failure.orElse(null);
            if (!Objects.equals(now, partsFailure)) {
                partsFailure = now;
                if (now != null) {
                    LOG.error("part failed: {}; giving up mastership (FAULT)", now);
                } else {
                    LOG.info("all parts working again; leaving FAULT");
                }
                Files.writeString(faultFile, now == null ? "0\n" : "1\n");
                for (InstanceConfig i : config.vrrp().instances()) {
                    // The parts-fault track is the last one of each instance (withPartsTracking).
                    vrrp.node().trackSample(TrackSample.file(i.name(), i.tracks().size(), OptionalLong.of(now == null ? 0 : 1)));
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("parts watch: {}", e.toString());
        }
    }

    // ------------------------------------------------------------------ operator actions

    /** Planned switchover of every sync group (and ungrouped instance) this node is master of. */
    public String failover() {
        Map<String, InstanceStatus> st = vrrp.node().statuses();
        if (st.values().stream().noneMatch(s -> s.state() == State.MASTER)) {
            throw new IllegalStateException("this director is not master of anything; run failover on the master");
        }
        if (replicator != null) {
            replicator.flush(); // the peer should hold every connection before it takes them
        }
        List<String> moved = new ArrayList<>();
        for (var g : config.vrrp().groups()) {
            if (g.instances().stream().anyMatch(n -> st.get(n) != null && st.get(n).state() == State.MASTER)) {
                vrrp.node().switchover(g.name());
                moved.add(g.name());
            }
        }
        for (InstanceConfig i : config.vrrp().instances()) {
            if (config.vrrp().groupOf(i.name()) == null && st.get(i.name()).state() == State.MASTER) {
                vrrp.node().switchover(i.name());
                moved.add(i.name());
            }
        }
        failovers.incrementAndGet();
        LOG.info("planned switchover requested by the operator: {}", moved);
        return "switchover started: " + String.join(", ", moved);
    }

    /** Operator drain / maintenance / back to normal of a real server, without a reload. */
    public void setAdminState(String service, String server, AdminState state) {
        health.setAdminState(service, server, state).join();
        LOG.info("operator: {} {} of {}", state, server, service);
    }

    public record ReloadResult(boolean applied, List<String> messages) {
    }

    /**
     * Validates {@link DaemonConfig#source} again and applies it without a failover: the VRRP instances keep
     * running, the table is reconciled, and a new health engine starts from the old one's verdicts. Settings that
     * cannot change without a restart (VRRP, backend, sync, admin) are refused with the reason, and the old
     * configuration stays in force; so does it when the file is invalid.
     */
    public synchronized ReloadResult reload() {
        DaemonConfig next;
        try {
            next = DaemonConfigLoader.load(config.source());
        } catch (InvalidConfigException e) {
            reloadsRefused.incrementAndGet();
            LOG.error("reload refused, the running configuration stays:\n  {}", String.join("\n  ", e.problems()));
            return new ReloadResult(false, e.problems());
        }
        DaemonConfig now = config;
        List<String> restart = new ArrayList<>();
        if (!next.node().equals(now.node())) {
            restart.add("node name changed");
        }
        if (!next.vrrp().equals(now.vrrp())) {
            restart.add("vrrp settings changed (a restart of VRRP is a failover: use 'lvsha failover' on the master, then restart)");
        }
        if (next.ipvs().backend() != now.ipvs().backend() || !Objects.equals(next.ipvs().outsideInterface(), now.ipvs().outsideInterface())
                || !Objects.equals(next.ipvs().insideInterface(), now.ipvs().insideInterface()) || next.ipvs().workers() != now.ipvs().workers()) {
            restart.add("ipvs backend or interfaces changed");
        }
        if (!Objects.equals(next.sync(), now.sync())) {
            restart.add("sync settings changed");
        }
        if (!Objects.equals(next.admin(), now.admin())) {
            restart.add("admin settings changed");
        }
        if (!restart.isEmpty()) {
            reloadsRefused.incrementAndGet();
            List<String> msgs = restart.stream().map(r -> config.source() + ": " + r + "; needs a restart, nothing applied").toList();
            LOG.error("reload refused, the running configuration stays: {}", msgs);
            return new ReloadResult(false, msgs);
        }
        if (!next.ipvs().timeouts().equals(now.ipvs().timeouts())) {
            backend.ipvs().setTimeouts(next.ipvs().timeouts());
        }
        table.program(next.ipvs().services());
        HealthEngine old = health;
        Map<String, org.lvsha.health.policy.ServiceState> carried = old.state().join();
        boolean active = old.isActive();
        old.close();
        HealthEngine fresh = buildHealth(next, checkTransport, table, carried, healthListener(healthEvents, events));
        fresh.setActive(active);
        fresh.start();
        health = fresh;
        config = next;
        reloads.incrementAndGet();
        LOG.info("reload applied: {} virtual service(s); VRRP untouched", next.ipvs().services().size());
        return new ReloadResult(true, List.of("applied: " + next.ipvs().services().size() + " virtual service(s)"));
    }

    /** Test hook (see {@link ForwardingBackend#stopDataPlaneForTest}); refused unless {@code -Dlvsha.testHooks=true}. */
    public void stopDataPlaneForTest() {
        if (!Boolean.getBoolean(TEST_HOOKS_PROPERTY)) {
            throw new IllegalStateException("test hooks are off (-D" + TEST_HOOKS_PROPERTY + "=true)");
        }
        LOG.warn("test hook: stopping the userspace data plane");
        backend.stopDataPlaneForTest();
    }

    // ------------------------------------------------------------------ views

    public DaemonConfig config() {
        return config;
    }

    public ForwardingBackend backend() {
        return backend;
    }

    public TableProgrammer table() {
        return table;
    }

    public HealthEngine health() {
        return health;
    }

    /** Health events by kind since the start, across reloads. */
    public HealthEventCounts healthEvents() {
        return healthEvents;
    }

    /** The notify stream. */
    public DirectorEvents events() {
        return events;
    }

    public Optional<ConnectionReplicator> replicator() {
        return Optional.ofNullable(replicator);
    }

    /** The data plane's link to sync (userspace backend with sync on). */
    public Optional<ConnectionTableLink> link() {
        return Optional.ofNullable(link);
    }

    public VrrpRuntime vrrp() {
        return vrrp;
    }

    public Map<String, Transition> lastTransitions() {
        return Map.copyOf(lastTransitions);
    }

    public Instant startedAt() {
        return startedAt;
    }

    public String partsFailure() {
        return partsFailure;
    }

    public long failovers() {
        return failovers.get();
    }

    public long reloads() {
        return reloads.get();
    }

    public long reloadsRefused() {
        return reloadsRefused.get();
    }

    // ------------------------------------------------------------------ stop

    /**
     * Graceful stop: VRRP first (a master sends priority 0 so the peer takes over after Skew_Time, and removes its
     * addresses), then pending sync events are flushed to the peer, then health checks and the backend stop. A
     * kernel table is left as it is (the new master has its own); the userspace data plane stops with the process.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        watcher.shutdownNow();
        if (vrrp != null) {
            vrrp.close();
        }
        List<AutoCloseable> rest = new ArrayList<>();
        if (replicator != null) {
            try {
                replicator.flush();
            } catch (RuntimeException e) {
                LOG.warn("sync flush at stop: {}", e.toString());
            }
        }
        // closeAll stops the last added first: bridge, sync, health, checkers, backend, and last the notify stream,
        // which still carries the health events of the stop and VRRP's own STOP transitions.
        rest.add(events);
        rest.add(backend);
        rest.add(checkTransport);
        rest.add(health);
        if (kernelSync != null) {
            rest.add(kernelSync);
        }
        if (replicator != null) {
            rest.add(replicator);
        }
        if (link != null) {
            rest.add(() -> {
                backend.dataPlane().ifPresent(p -> p.setConnectionListener(null));
                replicator.onRemoteEvents(null);
            });
        }
        closeAll(rest);
        try {
            Files.deleteIfExists(faultFile);
        } catch (IOException ignored) {
            // the run directory may be gone already
        }
        LOG.info("director {} stopped", config.node());
    }

    private static void closeAll(List<AutoCloseable> list) {
        for (int i = list.size() - 1; i >= 0; i--) {
            try {
                list.get(i).close();
            } catch (Exception e) {
                LOG.warn("stopping {}: {}", list.get(i).getClass().getSimpleName(), e.toString());
            }
        }
    }
}
