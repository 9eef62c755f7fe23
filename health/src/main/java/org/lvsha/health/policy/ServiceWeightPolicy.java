package org.lvsha.health.policy;

import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.lvsha.health.check.DynamicWeight;
import org.lvsha.health.config.FailureAction;
import org.lvsha.health.config.RealServerHealth;
import org.lvsha.health.config.ServiceHealth;
import org.lvsha.health.event.HealthEvent;
import org.lvsha.health.sink.DesiredDestination;
import org.lvsha.health.sink.DesiredDestination.Reason;

/**
 * Turns what is known about a service's real servers into their desired table entries. Pure and
 * single-threaded: every input carries the time, every call returns the destinations whose desired state
 * changed (each complete) and the events to report. No timers: the owner asks {@link #nextTickAt(long)} and
 * calls {@link #onTick(long)} then.
 *
 * <p>Rules, in order of precedence for one server:
 * <ol>
 * <li>maintenance (from any source) — absent;</li>
 * <li>not healthy — weight 0 kept ({@code inhibit}) or absent ({@code remove}); never checked yet counts as
 *     not healthy so a starting director sends no traffic to an unknown server;</li>
 * <li>drain — weight 0 kept;</li>
 * <li>quorum lost while a sorry server is configured — weight 0 kept, the sorry server present;</li>
 * <li>otherwise the target weight: the configured weight, or the dynamic weight clamped to
 *     [0, maxWeight]; during slow start a linear ramp of {@code slowStartSteps} equal steps over
 *     {@code slowStart}: step i (1-based) holds {@code target * i / steps} (at least 1) from
 *     {@code (i - 1) * slowStart / steps}, so the full weight is reached one step before the period ends.</li>
 * </ol>
 * Slow start begins when a server known to be down becomes healthy, and when it leaves maintenance; the
 * very first verdict at start-up gives full weight at once (nothing was taken away from it).
 *
 * <p>Quorum: the live weight is the sum of the target weights of servers that are healthy and neither
 * drained nor in maintenance. Quorum is lost when the sum falls below {@code quorum.down} and regained when
 * it reaches {@code quorum.up}. It is judged only once every server has a verdict, so start-up does not
 * report a spurious loss.
 */
public final class ServiceWeightPolicy {
    /** What one input changed. */
    public record Decisions(List<DesiredDestination> changed, List<HealthEvent> events) {
        static final Decisions NONE = new Decisions(List.of(), List.of());

        public boolean isEmpty() {
            return changed.isEmpty() && events.isEmpty();
        }
    }

    enum Health { UNKNOWN, UP, DOWN }

    private static final class Server {
        final RealServerHealth config;
        Health health;
        DynamicWeight dynamic;
        final EnumMap<AdminSource, AdminState> admin = new EnumMap<>(AdminSource.class);
        boolean ramping;
        long rampStart;
        long liveWeight;
        DesiredDestination last;

        Server(RealServerHealth config) {
            this.config = config;
            this.health = config.checks().isEmpty() ? Health.UP : Health.UNKNOWN;
        }

        AdminState admin() {
            AdminState s = AdminState.NORMAL;
            for (AdminState a : admin.values()) {
                s = s.max(a);
            }
            return s;
        }

        int target() {
            return dynamic == null ? config.weight() : dynamic.apply(config.weight(), config.maxWeight());
        }
    }

    private final ServiceHealth config;
    private final Map<String, Server> servers = new LinkedHashMap<>();
    private final Server sorry;
    private long liveWeight;
    private int unknown;
    private boolean quorumHeld = true;
    /** Servers in slow start, so that asking for the next tick costs nothing when none is. */
    private int rampingCount;

    public ServiceWeightPolicy(ServiceHealth config) {
        this(config, null);
    }

    /**
     * A policy for {@code config} that starts from {@code carried} (the state of the same service under the
     * previous configuration, or null): servers with the same id keep their verdict, reported weight,
     * administrative states and slow start; new servers start unchecked.
     */
    public ServiceWeightPolicy(ServiceHealth config, ServiceState carried) {
        this.config = config;
        for (RealServerHealth rs : config.realServers()) {
            Server s = new Server(rs);
            servers.put(rs.id(), s);
            ServerState old = carried == null ? null : carried.servers().get(rs.id());
            if (old != null) {
                if (old.healthy() != null && !rs.checks().isEmpty()) {
                    s.health = old.healthy() ? Health.UP : Health.DOWN;
                }
                s.dynamic = old.dynamicWeight();
                s.admin.putAll(old.admin());
                if (old.rampStartNanos() != null && !config.slowStart().isZero() && s.health == Health.UP) {
                    s.ramping = true;
                    s.rampStart = old.rampStartNanos();
                    rampingCount++;
                }
            }
            if (s.health == Health.UNKNOWN) {
                unknown++;
            }
        }
        if (carried != null) {
            this.quorumHeld = carried.quorumHeld();
        }
        this.sorry = config.sorryServer() == null ? null : new Server(config.sorryServer());
        for (Server s : servers.values()) {
            updateLiveWeight(s);
        }
    }

    /** Everything worth carrying into a policy for a new configuration of this service. */
    public ServiceState state() {
        Map<String, ServerState> all = new LinkedHashMap<>();
        for (Server s : servers.values()) {
            Boolean healthy = s.health == Health.UNKNOWN ? null : s.health == Health.UP;
            all.put(s.config.id(), new ServerState(healthy, s.dynamic, s.admin, s.ramping ? s.rampStart : null));
        }
        return new ServiceState(quorumHeld, all);
    }

    public String serviceId() {
        return config.id();
    }

    public boolean quorumHeld() {
        return quorumHeld;
    }

    public long liveWeight() {
        return liveWeight;
    }

    /**
     * The whole desired table at {@code now}, in {@link #makeBeforeBreak} order; also marks it as sent, so later calls
     * report differences only.
     */
    public List<DesiredDestination> table(long now) {
        List<DesiredDestination> all = new ArrayList<>(servers.size() + 1);
        for (Server s : servers.values()) {
            commit(s, desired(s, now), now);
            all.add(s.last);
        }
        if (sorry != null) {
            sorry.last = sorryDesired();
            all.add(sorry.last);
        }
        return makeBeforeBreak(all);
    }

    /** The whole desired table at {@code now} without marking anything as sent (for status output). */
    public List<DesiredDestination> peekTable(long now) {
        List<DesiredDestination> all = new ArrayList<>(servers.size() + 1);
        for (Server s : servers.values()) {
            all.add(desired(s, now));
        }
        if (sorry != null) {
            all.add(sorryDesired());
        }
        return all;
    }

    /** The aggregated verdict of a server's checks. */
    public Decisions onHealth(String realServerId, boolean up, String detail, long now) {
        Server s = server(realServerId);
        Health next = up ? Health.UP : Health.DOWN;
        if (s.health == next) {
            return Decisions.NONE;
        }
        Health before = s.health;
        if (before == Health.UNKNOWN) {
            unknown--;
        }
        s.health = next;
        List<HealthEvent> events = new ArrayList<>(2);
        events.add(new HealthEvent(up ? HealthEvent.Kind.SERVER_UP : HealthEvent.Kind.SERVER_DOWN, config.id(), s.config.id(), detail, now));
        if (up && before == Health.DOWN) {
            startRamp(s, now);
        } else if (!up) {
            setRamping(s, false);
        }
        return afterChange(s, now, events);
    }

    /** A weight reported by the server's agent or a command; null clears it. */
    public Decisions onDynamicWeight(String realServerId, DynamicWeight weight, long now) {
        Server s = server(realServerId);
        if (java.util.Objects.equals(s.dynamic, weight)) {
            return Decisions.NONE;
        }
        s.dynamic = weight;
        return afterChange(s, now, new ArrayList<>(1));
    }

    /** Sets the administrative state one source asks for; the most restrictive source wins. */
    public Decisions onAdmin(String realServerId, AdminSource source, AdminState state, long now) {
        Server s = server(realServerId);
        AdminState before = s.admin();
        if (state == AdminState.NORMAL) {
            s.admin.remove(source);
        } else {
            s.admin.put(source, state);
        }
        AdminState after = s.admin();
        List<HealthEvent> events = new ArrayList<>(1);
        if (after != before) {
            HealthEvent.Kind kind = switch (after) {
                case NORMAL -> HealthEvent.Kind.SERVER_READY;
                case DRAIN -> HealthEvent.Kind.SERVER_DRAINED;
                case MAINTENANCE -> HealthEvent.Kind.SERVER_MAINTENANCE;
            };
            events.add(new HealthEvent(kind, config.id(), s.config.id(), source.name().toLowerCase(java.util.Locale.ROOT), now));
            if (before == AdminState.MAINTENANCE && s.health == Health.UP) {
                startRamp(s, now);
            }
        }
        return afterChange(s, now, events);
    }

    /** Advances slow-start ramps. */
    public Decisions onTick(long now) {
        if (rampingCount == 0) {
            return Decisions.NONE;
        }
        List<DesiredDestination> changed = new ArrayList<>();
        for (Server s : servers.values()) {
            if (s.ramping) {
                emitIfChanged(s, now, changed);
            }
        }
        return changed.isEmpty() ? Decisions.NONE : new Decisions(changed, List.of());
    }

    /** When the next slow-start step after {@code now} is due, if any server is ramping. */
    public OptionalLong nextTickAt(long now) {
        if (rampingCount == 0) {
            return OptionalLong.empty();
        }
        long period = config.slowStart().toNanos();
        int steps = config.slowStartSteps();
        long best = 0;
        boolean any = false;
        for (Server s : servers.values()) {
            if (s.ramping) {
                long elapsed = Math.max(0, now - s.rampStart);
                long nextStep = elapsed * steps / period + 1;
                // ceil(nextStep * period / steps): the first instant that belongs to the next step
                long at = s.rampStart + (nextStep * period + steps - 1) / steps;
                if (!any || at - best < 0) {
                    best = at;
                    any = true;
                }
            }
        }
        return any ? OptionalLong.of(best) : OptionalLong.empty();
    }

    public Collection<String> realServerIds() {
        return servers.keySet();
    }

    private Server server(String id) {
        Server s = servers.get(id);
        if (s == null) {
            throw new IllegalArgumentException("service " + config.id() + " has no real server " + id);
        }
        return s;
    }

    private void startRamp(Server s, long now) {
        if (!config.slowStart().isZero()) {
            setRamping(s, true);
            s.rampStart = now;
        }
    }

    private Decisions afterChange(Server s, long now, List<HealthEvent> events) {
        updateLiveWeight(s);
        List<DesiredDestination> changed = new ArrayList<>(2);
        boolean flipped = judgeQuorum(now, events);
        if (flipped) {
            for (Server each : servers.values()) {
                emitIfChanged(each, now, changed);
            }
            if (sorry != null) {
                DesiredDestination d = sorryDesired();
                if (!d.equals(sorry.last)) {
                    sorry.last = d;
                    changed.add(d);
                }
            }
        } else {
            emitIfChanged(s, now, changed);
        }
        return changed.isEmpty() && events.isEmpty() ? Decisions.NONE : new Decisions(makeBeforeBreak(changed), events);
    }

    /**
     * The changes in the order a sink applies them without a moment where the service has nowhere to send a new
     * connection: destinations that will take traffic (present, weight above 0) first, then those that stop. A quorum
     * loss thus adds the sorry server before it parks the last real server at 0, and a regain gives the real servers
     * their weights back before it takes the sorry server out. (The other order left the service without a destination
     * for as long as one sink call lasts, and a SYN arriving then is dropped: the client retries after its 1 s SYN
     * timeout.) Stable within each group.
     */
    static List<DesiredDestination> makeBeforeBreak(List<DesiredDestination> changed) {
        if (changed.size() < 2) {
            return changed;
        }
        List<DesiredDestination> ordered = new ArrayList<>(changed.size());
        for (DesiredDestination d : changed) {
            if (d.present() && d.weight() > 0) {
                ordered.add(d);
            }
        }
        for (DesiredDestination d : changed) {
            if (!d.present() || d.weight() <= 0) {
                ordered.add(d);
            }
        }
        return ordered;
    }

    private void emitIfChanged(Server s, long now, List<DesiredDestination> changed) {
        DesiredDestination d = desired(s, now);
        if (!d.equals(s.last)) {
            changed.add(d);
        }
        commit(s, d, now);
    }

    private void updateLiveWeight(Server s) {
        long live = s.health == Health.UP && s.admin() == AdminState.NORMAL ? s.target() : 0;
        liveWeight += live - s.liveWeight;
        s.liveWeight = live;
    }

    private boolean judgeQuorum(long now, List<HealthEvent> events) {
        if (config.quorum() == null || unknown > 0) {
            return false;
        }
        if (quorumHeld && liveWeight < config.quorum().down()) {
            quorumHeld = false;
            events.add(new HealthEvent(HealthEvent.Kind.QUORUM_LOST, config.id(), null,
                    "live weight " + liveWeight + " < " + config.quorum().down(), now));
            return true;
        }
        if (!quorumHeld && liveWeight >= config.quorum().up()) {
            quorumHeld = true;
            events.add(new HealthEvent(HealthEvent.Kind.QUORUM_REGAINED, config.id(), null,
                    "live weight " + liveWeight + " >= " + config.quorum().up(), now));
            return true;
        }
        return false;
    }

    private DesiredDestination sorryDesired() {
        RealServerHealth rs = sorry.config;
        return quorumHeld
                ? DesiredDestination.absent(config.id(), rs.id(), rs.address(), rs.port(), Reason.SORRY_SERVER_STANDBY)
                : new DesiredDestination(config.id(), rs.id(), rs.address(), rs.port(), true, rs.weight(), Reason.SORRY_SERVER_ACTIVE);
    }

    private DesiredDestination desired(Server s, long now) {
        RealServerHealth rs = s.config;
        AdminState admin = s.admin();
        if (admin == AdminState.MAINTENANCE) {
            return DesiredDestination.absent(config.id(), rs.id(), rs.address(), rs.port(), Reason.MAINTENANCE);
        }
        if (s.health != Health.UP) {
            Reason why = s.health == Health.UNKNOWN ? Reason.NOT_CHECKED : Reason.CHECK_FAILED;
            return config.onFailure() == FailureAction.remove
                    ? DesiredDestination.absent(config.id(), rs.id(), rs.address(), rs.port(), why)
                    : present(rs, 0, why);
        }
        if (admin == AdminState.DRAIN) {
            return present(rs, 0, Reason.DRAIN);
        }
        if (!quorumHeld && sorry != null) {
            return present(rs, 0, Reason.QUORUM_LOST);
        }
        int target = s.target();
        int step = rampStep(s, now);
        if (step > 0) {
            return present(rs, rampWeight(target, step, config.slowStartSteps()), Reason.SLOW_START);
        }
        return present(rs, target, s.dynamic != null ? Reason.DYNAMIC_WEIGHT : Reason.HEALTHY);
    }

    /** The current slow-start step (1-based), or 0 when the server is not ramping any more. */
    private int rampStep(Server s, long now) {
        if (!s.ramping) {
            return 0;
        }
        long period = config.slowStart().toNanos();
        long elapsed = now - s.rampStart;
        int steps = config.slowStartSteps();
        if (elapsed < 0 || elapsed >= period) {
            return 0;
        }
        int step = (int) Math.min(steps, elapsed * steps / period + 1);
        return step < steps ? step : 0;
    }

    /** Records {@code d} as sent and ends a ramp that has run its course. */
    private void commit(Server s, DesiredDestination d, long now) {
        s.last = d;
        if (s.ramping && rampStep(s, now) == 0) {
            setRamping(s, false);
        }
    }

    private void setRamping(Server s, boolean ramping) {
        if (s.ramping != ramping) {
            rampingCount += ramping ? 1 : -1;
            s.ramping = ramping;
        }
    }

    static int rampWeight(int target, int step, int steps) {
        if (target == 0) {
            return 0;
        }
        return (int) Math.max(1, (long) target * step / steps);
    }

    private DesiredDestination present(RealServerHealth rs, int weight, Reason reason) {
        return new DesiredDestination(config.id(), rs.id(), rs.address(), rs.port(), true, weight, reason);
    }
}
