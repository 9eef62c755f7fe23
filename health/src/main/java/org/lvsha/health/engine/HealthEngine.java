package org.lvsha.health.engine;

import io.netty.util.concurrent.DefaultEventExecutor;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.lvsha.health.check.AgentAdmin;
import org.lvsha.health.check.CheckResult;
import org.lvsha.health.check.CheckTransport;
import org.lvsha.health.check.CheckerFactory;
import org.lvsha.health.check.DynamicWeight;
import org.lvsha.health.config.CheckSpec;
import org.lvsha.health.config.RealServerHealth;
import org.lvsha.health.config.ServiceHealth;
import org.lvsha.health.event.CheckCounters;
import org.lvsha.health.event.HealthEvent;
import org.lvsha.health.event.HealthEventListener;
import org.lvsha.health.policy.AdminSource;
import org.lvsha.health.policy.AdminState;
import org.lvsha.health.policy.ServiceState;
import org.lvsha.health.policy.ServiceWeightPolicy;
import org.lvsha.health.schedule.CheckRunner;
import org.lvsha.health.schedule.HealthClock;
import org.lvsha.health.schedule.RiseFallCounter;
import org.lvsha.health.sink.DesiredDestination;
import org.lvsha.health.sink.WeightSink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Health checking of all configured services: runs the checkers on the transport's event loops, feeds their
 * verdicts to one {@link ServiceWeightPolicy} per service, and — only while {@linkplain #setActive active}
 * (VRRP master) — sends the resulting desired destinations to the {@link WeightSink}. The desired table is
 * always computed, so a backup that becomes master sends a current table at once.
 *
 * <p>All policy state lives on one thread of its own (the policy loop, {@code health-policy}); checkers report
 * to it by messages. The sink and the event listener are called on that thread, never on a check loop.
 */
public final class HealthEngine implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HealthEngine.class);

    private final CheckTransport transport;
    private final WeightSink sink;
    private final HealthEventListener listener;
    private final HealthClock clock;
    private final EventExecutor policyLoop;
    private final CheckCounters counters = new CheckCounters();
    private final Map<String, ServiceWeightPolicy> policies = new LinkedHashMap<>();
    private final List<CheckRunner> runners = new ArrayList<>();
    private final Map<CheckRunner, ServerChecks> runnerServer = new HashMap<>();
    private final AdminStateDirectory adminDirectory;
    private final Duration adminPollInterval;
    private Map<AdminStateDirectory.Key, AdminState> adminFiles = Map.of();
    /** Applied on the policy loop: whether the sink gets the changes. */
    private volatile boolean active;
    /** Asked for by {@link #setActive}, in call order; what {@link #isActive()} reports. */
    private volatile boolean requestedActive;
    private final Object activeRequests = new Object();
    private boolean started;
    private boolean closed;
    private ScheduledFuture<?> tick;
    private long tickAt;
    private ScheduledFuture<?> adminPoll;

    /** The checks of one real server, aggregated on the policy loop; per-check dynamic state on the check's loop. */
    private static final class ServerChecks {
        final String serviceId;
        final String realServerId;
        final RiseFallCounter.State[] states;
        final Map<CheckRunner, Integer> index = new HashMap<>();
        // written on the runner's loop only (one runner per index)
        final DynamicWeight[] lastWeight;
        final AgentAdmin[] lastAdmin;

        ServerChecks(String serviceId, String realServerId, int checks) {
            this.serviceId = serviceId;
            this.realServerId = realServerId;
            this.states = new RiseFallCounter.State[checks];
            java.util.Arrays.fill(states, RiseFallCounter.State.UNKNOWN);
            this.lastWeight = new DynamicWeight[checks];
            this.lastAdmin = new AgentAdmin[checks];
        }
    }

    private HealthEngine(Builder b) {
        this.transport = Objects.requireNonNull(b.transport, "transport");
        this.sink = Objects.requireNonNull(b.sink, "sink");
        this.listener = b.listener;
        this.clock = b.clock;
        // Its own thread: a slow sink (netlink to the kernel) or listener must not delay probes and their timeouts.
        this.policyLoop = new DefaultEventExecutor(new DefaultThreadFactory("health-policy", true));
        this.adminDirectory = b.adminDirectory == null ? null : new AdminStateDirectory(b.adminDirectory);
        this.adminPollInterval = b.adminPollInterval;
        if (b.carried != null) {
            // Files that drained a server before the reload count as seen, so their removal is noticed.
            Map<AdminStateDirectory.Key, AdminState> seen = new HashMap<>();
            b.carried.forEach((serviceId, st) -> st.servers().forEach((rsId, server) -> {
                AdminState fromFile = server.admin().get(AdminSource.FILE);
                if (fromFile != null) {
                    seen.put(new AdminStateDirectory.Key(serviceId, rsId), fromFile);
                }
            }));
            adminFiles = seen;
        }
        CheckerFactory factory = new CheckerFactory(transport);
        for (ServiceHealth service : b.services) {
            ServiceState carried = b.carried == null ? null : b.carried.get(service.id());
            if (policies.put(service.id(), new ServiceWeightPolicy(service, carried)) != null) {
                throw new IllegalArgumentException("service " + service.id() + " configured twice");
            }
            for (RealServerHealth rs : service.realServers()) {
                ServerChecks sc = new ServerChecks(service.id(), rs.id(), rs.checks().size());
                for (int i = 0; i < rs.checks().size(); i++) {
                    CheckSpec spec = rs.checks().get(i);
                    CheckRunner runner = new CheckRunner(factory.create(rs, spec), service.timingOf(spec),
                            transport.group().next(), clock, counters, this::onProbe);
                    sc.index.put(runner, i);
                    runnerServer.put(runner, sc);
                    runners.add(runner);
                }
            }
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Computes the initial table and starts every check. */
    public void start() {
        onPolicyLoop(() -> {
            if (started) {
                return;
            }
            started = true;
            long now = clock.nanoTime();
            List<DesiredDestination> table = new ArrayList<>();
            policies.values().forEach(p -> table.addAll(p.table(now)));
            if (active) {
                send(table, true);
            }
            if (adminDirectory != null) {
                long every = adminPollInterval.toNanos();
                adminPoll = policyLoop.scheduleWithFixedDelay(this::pollAdminDirectory, 0, every, TimeUnit.NANOSECONDS);
            }
            runners.forEach(CheckRunner::start);
        }).join();
    }

    /**
     * Master (true) or backup (false). Becoming active sends the whole desired table ({@link WeightSink#resync});
     * while inactive nothing reaches the sink, but the table is kept current.
     */
    public CompletableFuture<Void> setActive(boolean nowActive) {
        // Under a lock, so that concurrent requests are queued in the order they were recorded in (the last one wins).
        synchronized (activeRequests) {
            requestedActive = nowActive;
            return onPolicyLoop(() -> applyActive(nowActive));
        }
    }

    private void applyActive(boolean nowActive) {
        boolean was = active;
        active = nowActive;
        if (nowActive && !was && started) {
            long now = clock.nanoTime();
            List<DesiredDestination> table = new ArrayList<>();
            policies.values().forEach(p -> table.addAll(p.table(now)));
            send(table, true);
        }
    }

    /**
     * The state last asked for with {@link #setActive}, at once: the policy loop applies it a moment later. Callers
     * decide on it (a VRRP transition: "am I driving the table already?"), and answering with the applied state made a
     * quick MASTER → BACKUP → MASTER lose the last step: the second transition still read {@code true} while the
     * queued deactivation had not run, skipped its activation, and the master's table stopped following health.
     */
    public boolean isActive() {
        return requestedActive;
    }

    /** Operator drain / maintenance / back to normal, without a reload. */
    public CompletableFuture<Void> setAdminState(String serviceId, String realServerId, AdminState state) {
        return onPolicyLoop(() -> {
            ServiceWeightPolicy p = policies.get(serviceId);
            if (p == null) {
                throw new IllegalArgumentException("no service " + serviceId);
            }
            dispatch(p.onAdmin(realServerId, AdminSource.OPERATOR, state, clock.nanoTime()));
        });
    }

    /** The current desired table of every service (for status output; sends nothing). */
    public CompletableFuture<List<DesiredDestination>> desiredTable() {
        CompletableFuture<List<DesiredDestination>> f = new CompletableFuture<>();
        execute(() -> {
            long now = clock.nanoTime();
            List<DesiredDestination> all = new ArrayList<>();
            policies.values().forEach(p -> all.addAll(p.peekTable(now)));
            f.complete(all);
        }, f);
        return f;
    }

    /**
     * The policy state of every service, to start the engine for a new configuration from
     * ({@link Builder#carryFrom}): a reload then keeps verdicts, drains and ramps instead of starting unchecked.
     */
    public CompletableFuture<Map<String, ServiceState>> state() {
        CompletableFuture<Map<String, ServiceState>> f = new CompletableFuture<>();
        execute(() -> {
            Map<String, ServiceState> all = new LinkedHashMap<>();
            policies.forEach((id, p) -> all.put(id, p.state()));
            f.complete(Map.copyOf(all));
        }, f);
        return f;
    }

    /** Whether a service has quorum (true for services without one). */
    public CompletableFuture<Boolean> quorumHeld(String serviceId) {
        CompletableFuture<Boolean> f = new CompletableFuture<>();
        execute(() -> f.complete(policies.get(serviceId).quorumHeld()), f);
        return f;
    }

    public CheckCounters counters() {
        return counters;
    }

    public int checkCount() {
        return runners.size();
    }

    /** Stops every check and the policy thread. Does not close the transport, which the caller owns. */
    @Override
    public void close() {
        runners.forEach(CheckRunner::stop);
        try {
            onPolicyLoop(() -> {
                closed = true;
                if (tick != null) {
                    tick.cancel(false);
                }
                if (adminPoll != null) {
                    adminPoll.cancel(false);
                }
            }).get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.debug("closing health engine: {}", e.toString());
        }
        policyLoop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }

    // ---- on the check's loop

    private void onProbe(CheckRunner runner, CheckResult result, RiseFallCounter.State state, boolean changed) {
        ServerChecks sc = runnerServer.get(runner);
        int i = sc.index.get(runner);
        if (changed) {
            String detail = runner.checker().describe() + ": " + result.detail();
            execute(() -> onCheckState(sc, i, state, detail), null);
        }
        if (result.isUp() && !Objects.equals(result.weight(), sc.lastWeight[i])) {
            sc.lastWeight[i] = result.weight();
            DynamicWeight w = result.weight();
            execute(() -> dispatch(policies.get(sc.serviceId).onDynamicWeight(sc.realServerId, w, clock.nanoTime())), null);
        }
        if (result.admin() != null && result.admin() != sc.lastAdmin[i]) {
            sc.lastAdmin[i] = result.admin();
            AdminState s = switch (result.admin()) {
                case READY -> AdminState.NORMAL;
                case DRAIN -> AdminState.DRAIN;
                case MAINT -> AdminState.MAINTENANCE;
            };
            execute(() -> dispatch(policies.get(sc.serviceId).onAdmin(sc.realServerId, AdminSource.AGENT, s, clock.nanoTime())), null);
        }
    }

    // ---- on the policy loop

    private void onCheckState(ServerChecks sc, int i, RiseFallCounter.State state, String detail) {
        sc.states[i] = state;
        boolean anyDown = false;
        boolean allUp = true;
        for (RiseFallCounter.State s : sc.states) {
            anyDown |= s == RiseFallCounter.State.DOWN;
            allUp &= s == RiseFallCounter.State.UP;
        }
        if (anyDown || allUp) {
            dispatch(policies.get(sc.serviceId).onHealth(sc.realServerId, allUp, detail, clock.nanoTime()));
        }
    }

    private void pollAdminDirectory() {
        try {
            transport.commandPool().execute(() -> {
                Map<AdminStateDirectory.Key, AdminState> scanned = adminDirectory.scan();
                execute(() -> applyAdminFiles(scanned), null);
            });
        } catch (RejectedExecutionException e) {
            LOG.debug("admin-state scan skipped: {}", e.toString());
        }
    }

    private void applyAdminFiles(Map<AdminStateDirectory.Key, AdminState> scanned) {
        long now = clock.nanoTime();
        for (var e : scanned.entrySet()) {
            if (e.getValue() != adminFiles.get(e.getKey())) {
                applyAdmin(e.getKey(), e.getValue(), now);
            }
        }
        for (var k : adminFiles.keySet()) {
            if (!scanned.containsKey(k)) {
                applyAdmin(k, AdminState.NORMAL, now);
            }
        }
        adminFiles = scanned;
    }

    private void applyAdmin(AdminStateDirectory.Key k, AdminState s, long now) {
        ServiceWeightPolicy p = policies.get(k.serviceId());
        if (p == null || !p.realServerIds().contains(k.realServerId())) {
            LOG.warn("admin-state file {}/{}/{} names no configured real server; ignored",
                    adminDirectory.root(), k.serviceId(), k.realServerId());
            return;
        }
        dispatch(p.onAdmin(k.realServerId(), AdminSource.FILE, s, now));
    }

    private void dispatch(ServiceWeightPolicy.Decisions d) {
        for (HealthEvent e : d.events()) {
            try {
                listener.onEvent(e);
            } catch (RuntimeException ex) {
                LOG.warn("health event listener failed on {}", e, ex);
            }
        }
        if (!d.changed().isEmpty() && active) {
            send(d.changed(), false);
        }
        scheduleTick();
    }

    private void send(List<DesiredDestination> changes, boolean resync) {
        try {
            if (resync) {
                sink.resync(List.copyOf(changes));
            } else {
                sink.apply(List.copyOf(changes));
            }
        } catch (RuntimeException e) {
            LOG.error("weight sink failed on {} destination(s)", changes.size(), e);
        }
    }

    private void scheduleTick() {
        long now = clock.nanoTime();
        long best = Long.MAX_VALUE;
        boolean any = false;
        for (ServiceWeightPolicy p : policies.values()) {
            OptionalLong at = p.nextTickAt(now);
            if (at.isPresent() && (!any || at.getAsLong() - best < 0)) {
                best = at.getAsLong();
                any = true;
            }
        }
        if (!any || closed) {
            return;
        }
        if (tick != null && !tick.isDone() && tickAt - best <= 0) {
            return;
        }
        if (tick != null) {
            tick.cancel(false);
        }
        tickAt = best;
        tick = policyLoop.schedule(() -> {
            tick = null; // this tick is running: the dispatch below must be free to schedule the next
            long t = clock.nanoTime();
            for (ServiceWeightPolicy p : policies.values()) {
                dispatch(p.onTick(t));
            }
        }, Math.max(0, best - now), TimeUnit.NANOSECONDS);
    }

    private CompletableFuture<Void> onPolicyLoop(Runnable r) {
        CompletableFuture<Void> f = new CompletableFuture<>();
        execute(() -> {
            r.run();
            f.complete(null);
        }, f);
        return f;
    }

    private void execute(Runnable r, CompletableFuture<?> failure) {
        Runnable guarded = () -> {
            try {
                r.run();
            } catch (RuntimeException e) {
                if (failure != null) {
                    failure.completeExceptionally(e);
                } else {
                    LOG.error("health policy step failed", e);
                }
            }
        };
        if (policyLoop.inEventLoop()) {
            guarded.run();
        } else {
            try {
                policyLoop.execute(guarded);
            } catch (RejectedExecutionException e) {
                if (failure != null) {
                    failure.completeExceptionally(e);
                }
            }
        }
    }

    /** Settings of an engine; services, transport and sink are required. */
    public static final class Builder {
        private List<ServiceHealth> services = List.of();
        private CheckTransport transport;
        private WeightSink sink;
        private HealthEventListener listener = new org.lvsha.health.event.LoggingHealthEventListener();
        private HealthClock clock = HealthClock.SYSTEM;
        private Path adminDirectory;
        private Duration adminPollInterval = Duration.ofSeconds(1);
        private Map<String, ServiceState> carried;

        public Builder services(List<ServiceHealth> services) {
            this.services = List.copyOf(services);
            return this;
        }

        public Builder transport(CheckTransport transport) {
            this.transport = transport;
            return this;
        }

        public Builder sink(WeightSink sink) {
            this.sink = sink;
            return this;
        }

        public Builder listener(HealthEventListener listener) {
            this.listener = listener;
            return this;
        }

        public Builder clock(HealthClock clock) {
            this.clock = clock;
            return this;
        }

        /** Where drain/maint files live (see {@link AdminStateDirectory}); polled every {@code pollInterval}. */
        public Builder adminDirectory(Path directory, Duration pollInterval) {
            this.adminDirectory = directory;
            this.adminPollInterval = pollInterval;
            return this;
        }

        /**
         * Start from the state of the engine this one replaces (a reload: stop the old engine's checks, take
         * its {@link HealthEngine#state()}, build and start the new one, hand over {@code setActive}).
         */
        public Builder carryFrom(Map<String, ServiceState> state) {
            this.carried = state;
            return this;
        }

        public HealthEngine build() {
            return new HealthEngine(this);
        }
    }
}
