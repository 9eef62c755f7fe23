package org.lvsha.vrrp.node;

import java.net.InetAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;
import org.lvsha.core.net.AddressManager;
import org.lvsha.core.net.VirtualAddress;
import org.lvsha.vrrp.MonotonicClock;
import org.lvsha.vrrp.VrrpCounters;
import org.lvsha.vrrp.address.AddressExecutor;
import org.lvsha.vrrp.address.AnnounceSchedule;
import org.lvsha.vrrp.codec.AdvertCheck;
import org.lvsha.vrrp.codec.AdvertTemplate;
import org.lvsha.vrrp.codec.DecodeResult;
import org.lvsha.vrrp.codec.RejectReason;
import org.lvsha.vrrp.codec.VrrpCodec;
import org.lvsha.vrrp.codec.VrrpPacket;
import org.lvsha.vrrp.config.InstanceConfig;
import org.lvsha.vrrp.config.NodeConfig;
import org.lvsha.vrrp.config.SyncGroupConfig;
import org.lvsha.vrrp.notify.TransitionEvent;
import org.lvsha.vrrp.notify.TransitionListener;
import org.lvsha.vrrp.proto.Action;
import org.lvsha.vrrp.proto.ActionList;
import org.lvsha.vrrp.proto.MachineParams;
import org.lvsha.vrrp.proto.State;
import org.lvsha.vrrp.proto.TimerKind;
import org.lvsha.vrrp.proto.TransitionReason;
import org.lvsha.vrrp.proto.VrrpEvent;
import org.lvsha.vrrp.proto.VrrpStateMachine;
import org.lvsha.vrrp.track.TrackPolicy;
import org.lvsha.vrrp.track.TrackSample;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A director's VRRP side: all its instances and sync groups, owned by ONE thread. Other threads
 * (transport receive, trackers, operator) only enqueue messages; the owner thread decodes adverts,
 * feeds the state machines, fires their deadlines from the injected clock and executes their actions
 * (adverts through the transport, addresses through the {@link AddressManager}, transitions to the
 * listener). No sleeps: the threaded loop parks until the next deadline or a message.
 *
 * <p>Two ways to drive it: {@link #start()} runs the owner thread; or a test (or a simulation) calls
 * {@link #startInstances()} and then {@link #poll()} itself, with a virtual clock.
 */
public final class VrrpNode implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(VrrpNode.class);
    private static final long LOG_EVERY = 10_000_000_000L;

    private record Switchover(String name) { }

    private record Shutdown() { }

    private static final class Instance {
        final InstanceConfig config;
        final VrrpStateMachine machine;
        final AdvertCheck check;
        final AdvertTemplate template;
        final byte[] buffer;
        final InetAddress[] destinations;
        final byte[][] destinationBytes;
        final AddressExecutor addresses;
        final AnnounceSchedule announce;
        final TrackPolicy tracking;
        final VrrpCounters counters = new VrrpCounters();
        SyncGroup group;
        int groupIndex;
        long lastAdvertAt = Long.MIN_VALUE;
        boolean groupFaultSent;

        Instance(InstanceConfig c, MachineParams p, AddressManager port) {
            config = c;
            machine = new VrrpStateMachine(p);
            check = new AdvertCheck(c);
            List<InetAddress> vips = new ArrayList<>();
            for (VirtualAddress a : c.addresses()) {
                vips.add(a.address());
            }
            template = new AdvertTemplate(c.version(), c.vrid(), c.wireInterval(), c.authPassword(), vips, c.primaryAddress());
            buffer = new byte[template.length()];
            List<InetAddress> dst = c.unicastPeers().isEmpty()
                    ? List.of(c.ipv6() ? VrrpTransport.GROUP_V6 : VrrpTransport.GROUP_V4) : c.unicastPeers();
            destinations = dst.toArray(new InetAddress[0]);
            destinationBytes = new byte[destinations.length][];
            for (int i = 0; i < destinations.length; i++) {
                destinationBytes[i] = destinations[i].getAddress();
            }
            addresses = new AddressExecutor(c.name(), c.addresses(), port, counters);
            announce = new AnnounceSchedule(c.announce());
            tracking = new TrackPolicy(c.priority(), c.tracks());
        }
    }

    private record Work(Instance instance, VrrpEvent event) { }

    private final VrrpTransport transport;
    private final MonotonicClock clock;
    private final TransitionListener listener;
    private final VrrpCounters counters;
    private static final TimerKind[] TIMER_KINDS = TimerKind.values();
    private final Map<String, Instance> byName = new LinkedHashMap<>();
    private Instance[] all;
    private final Map<String, SyncGroup> groups = new LinkedHashMap<>();
    private final Map<String, Instance> byKey = new HashMap<>();
    private final ConcurrentLinkedQueue<Object> inbox = new ConcurrentLinkedQueue<>();
    private final ArrayDeque<Work> work = new ArrayDeque<>();
    private final Map<String, InstanceStatus> status = new ConcurrentHashMap<>();
    private final long[] lastLogged = new long[RejectReason.values().length];
    private long sequence;
    private volatile Thread owner;
    private volatile boolean running;
    private boolean stopped;
    private boolean deferRemovals;
    private final List<Instance> deferred = new ArrayList<>();

    public VrrpNode(NodeConfig config, VrrpTransport transport, AddressManager addresses, MonotonicClock clock,
                    TransitionListener listener, VrrpCounters counters) {
        this.transport = Objects.requireNonNull(transport);
        this.clock = Objects.requireNonNull(clock);
        this.listener = Objects.requireNonNull(listener);
        this.counters = Objects.requireNonNull(counters);
        java.util.Arrays.fill(lastLogged, Long.MIN_VALUE);
        for (InstanceConfig c : config.instances()) {
            boolean grouped = config.groupOf(c.name()) != null;
            MachineParams p = new MachineParams(c.version(), c.priority(), c.advertIntervalCentis(), c.preempt(),
                    c.preemptDelay().toNanos(), c.primaryAddress(), grouped, config.reannounceMinGap().toNanos());
            Instance i = new Instance(c, p, addresses);
            byName.put(c.name(), i);
            byKey.put(key(c.interfaceName(), c.ipv6(), c.vrid()), i);
        }
        for (SyncGroupConfig g : config.groups()) {
            SyncGroup sg = new SyncGroup(g.name());
            for (String m : g.instances()) {
                Instance i = byName.get(m);
                i.group = sg;
                i.groupIndex = sg.members.size();
                sg.members.add(i.machine);
                sg.memberNames.add(m);
            }
            groups.put(g.name(), sg);
        }
        all = byName.values().toArray(new Instance[0]);
        for (Instance i : all) {
            publishStatus(i);
        }
        transport.receiveWith(this::offer);
    }

    private static String key(String ifname, boolean v6, int vrid) {
        return ifname + '/' + (v6 ? 6 : 4) + '/' + vrid;
    }

    // ---------------------------------------------------------------- any thread

    /** Hands a received datagram to the node (called by the transport). */
    public void offer(ReceivedDatagram d) {
        enqueue(d);
    }

    /** A tracker's result. */
    public void trackSample(TrackSample s) {
        enqueue(s);
    }

    /** Planned switchover of an instance or a whole sync group, by name. */
    public void switchover(String instanceOrGroup) {
        if (!byName.containsKey(instanceOrGroup) && !groups.containsKey(instanceOrGroup)) {
            throw new IllegalArgumentException("no instance or sync group named " + instanceOrGroup);
        }
        enqueue(new Switchover(instanceOrGroup));
    }

    /** Graceful stop: masters send priority 0 and remove their addresses (RFC 5798 §6.4.3 Shutdown). */
    public void shutdown() {
        enqueue(new Shutdown());
    }

    public InstanceStatus status(String instance) {
        return status.get(instance);
    }

    public Map<String, InstanceStatus> statuses() {
        return Map.copyOf(status);
    }

    public VrrpCounters counters() {
        return counters;
    }

    public VrrpCounters counters(String instance) {
        return byName.get(instance).counters;
    }

    private void enqueue(Object m) {
        inbox.add(m);
        Thread t = owner;
        if (t != null && t != Thread.currentThread()) {
            LockSupport.unpark(t);
            transport.wakeup();
        }
    }

    /** Runs the owner thread: startup, then the loop until {@link #close()} or {@link #shutdown()}. */
    public synchronized void start() {
        start(() -> { });
    }

    /**
     * As {@link #start()}, running {@code ownerInit} first on the owner thread (e.g. real-time scheduling
     * for that thread; a failure there is logged and the node runs anyway).
     */
    public synchronized void start(Runnable ownerInit) {
        if (owner != null) {
            throw new IllegalStateException("already started");
        }
        running = true;
        Thread t = new Thread(() -> {
            try {
                ownerInit.run();
            } catch (RuntimeException e) {
                LOG.warn("VRRP owner thread set-up failed, continuing without it: {}", e.getMessage());
            }
            loop();
        }, "vrrp-node");
        owner = t;
        t.start();
    }

    private void loop() {
        startInstances();
        while (running && !stopped) {
            try {
                poll();
            } catch (RuntimeException e) {
                // A bug must not kill the thread that owns mastership: a silent master keeping its
                // addresses is worse than one that logs and carries on.
                LOG.error("VRRP node loop: unexpected error, continuing", e);
            }
            long wait = nextDeadline() - clock.nanoTime();
            if (wait > 0) {
                // Not a sleep: the transport returns on a datagram or a wake-up (any queued message);
                // bounded so a lost wake-up costs at most 50 ms.
                transport.awaitReceived(Math.min(wait, 50_000_000L));
            }
        }
    }

    /** Graceful stop from any thread; waits for the owner thread to finish. */
    @Override
    public void close() {
        shutdown();
        Thread t = owner;
        if (t != null && t != Thread.currentThread()) {
            try {
                t.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        running = false;
    }

    // ---------------------------------------------------------------- owner thread

    /** Joins multicast groups and delivers the Startup event to every instance (RFC 5798 §6.4.1). */
    public void startInstances() {
        long now = clock.nanoTime();
        for (Instance i : byName.values()) {
            if (i.config.unicastPeers().isEmpty()) {
                transport.join(i.config.interfaceName(), i.destinations[0]);
            }
        }
        for (Instance i : byName.values()) {
            dispatch(i, VrrpEvent.STARTUP, now);
        }
    }

    /**
     * Processes every queued message, then every deadline due at the clock's now. Messages first: an
     * advert that arrived before a Master_Down deadline was checked resets it (see
     * {@link VrrpTransport#drainReceived()}).
     */
    public void poll() {
        transport.drainReceived();
        long now = clock.nanoTime();
        Object m;
        while ((m = inbox.poll()) != null) {
            if (m instanceof ReceivedDatagram d) {
                receive(d, now);
            } else if (m instanceof TrackSample s) {
                track(s, now);
            } else if (m instanceof Switchover s) {
                SyncGroup g = groups.get(s.name());
                if (g != null) {
                    for (String member : g.memberNames) {
                        dispatch(byName.get(member), VrrpEvent.SWITCHOVER, now);
                    }
                } else {
                    dispatch(byName.get(s.name()), VrrpEvent.SWITCHOVER, now);
                }
            } else if (m instanceof Shutdown) {
                // Every priority-0 advert first, then the address removals (netlink round trips): a sync-group
                // peer needs the adverts of all members before it may take over, so none should wait for
                // another member's address work.
                deferRemovals = true;
                for (Instance i : byName.values()) {
                    dispatch(i, VrrpEvent.SHUTDOWN, now);
                }
                deferRemovals = false;
                for (Instance i : deferred) {
                    i.addresses.removePresent();
                }
                deferred.clear();
                stopped = true;
            }
        }
        for (Instance i : all) {
            fireDue(i, now);
        }
    }

    /** The earliest time {@link #poll()} has work: now if messages wait, else the earliest deadline. */
    public long nextDeadline() {
        if (!inbox.isEmpty()) {
            return clock.nanoTime();
        }
        long min = Long.MAX_VALUE;
        for (Instance i : all) {
            min = Math.min(min, Math.min(i.machine.nextDeadline(), i.announce.nextDeadline()));
        }
        return min;
    }

    public boolean stopped() {
        return stopped;
    }

    private void fireDue(Instance i, long now) {
        for (int guard = 0; guard < 8; guard++) {
            long d = i.machine.nextDeadline();
            if (d > now) {
                break;
            }
            for (TimerKind k : TIMER_KINDS) {
                if (i.machine.deadline(k) == d) {
                    dispatch(i, VrrpEvent.TimerFired.of(k), now);
                    break;
                }
            }
        }
        if (i.announce.nextDeadline() <= now) {
            int n = i.announce.due(now);
            if (n > 0 && i.machine.state() == State.MASTER) {
                i.addresses.announce(n);
            }
        }
    }

    private void receive(ReceivedDatagram d, long now) {
        DecodeResult r = VrrpCodec.decode(d.payload(), d.offset(), d.length(), d.facts());
        if (!r.isOk()) {
            reject(null, r.rejection(), d);
            return;
        }
        VrrpPacket p = r.packet();
        Instance i = byKey.get(key(d.interfaceName(), d.facts().ipv6(), p.vrid()));
        if (i == null) {
            reject(null, RejectReason.WRONG_VRID, d);
            return;
        }
        RejectReason why = i.check.check(p);
        if (why != null) {
            reject(i, why, d);
            return;
        }
        if (!i.check.addressListMatches(p)) {
            // RFC 5798 §7.1: a mismatch is a misconfiguration to log; the advert still counts.
            counters.rejected(RejectReason.ADDRESS_LIST_MISMATCH);
            i.counters.rejected(RejectReason.ADDRESS_LIST_MISMATCH);
            logRateLimited(RejectReason.ADDRESS_LIST_MISMATCH, now, "instance " + i.config.name() + ": " + p
                    + " carries addresses other than ours " + i.config.addresses());
        }
        counters.received();
        i.counters.received();
        if (p.priority() == 0) {
            counters.countPriorityZeroReceived();
            i.counters.countPriorityZeroReceived();
        }
        dispatch(i, new VrrpEvent.AdvertReceived(p.priority(), p.intervalCentis(), p.source()), now);
    }

    private void reject(Instance i, RejectReason why, ReceivedDatagram d) {
        counters.rejected(why);
        if (i != null) {
            i.counters.rejected(why);
        }
        logRateLimited(why, clock.nanoTime(), "dropped VRRP datagram from " + d.facts().source().getHostAddress()
                + " on " + d.interfaceName() + ": " + why);
    }

    private void logRateLimited(RejectReason why, long now, String message) {
        long last = lastLogged[why.ordinal()];
        if (last == Long.MIN_VALUE || now - last >= LOG_EVERY) {
            lastLogged[why.ordinal()] = now;
            LOG.warn("{} (logged at most every 10 s per reason; see counters)", message);
        }
    }

    private void track(TrackSample s, long now) {
        Instance i = byName.get(s.instance());
        if (i == null || s.index() < 0 || s.index() >= i.config.tracks().size()) {
            LOG.warn("tracking sample for unknown instance or tracked object: {}", s);
            return;
        }
        org.lvsha.vrrp.config.TrackConfig t = i.config.tracks().get(s.index());
        if (t instanceof org.lvsha.vrrp.config.TrackConfig.File) {
            i.tracking.fileValue(s.index(), s.value());
        } else if (t instanceof org.lvsha.vrrp.config.TrackConfig.Script) {
            i.tracking.scriptResult(s.index(), s.ok());
        } else {
            i.tracking.linkState(s.index(), s.ok());
        }
        int p = i.tracking.effectivePriority();
        if (p != i.machine.priority() && !i.config.owner()) {
            dispatch(i, new VrrpEvent.PriorityChanged(p), now);
        }
        boolean fault = i.tracking.fault();
        if (fault != i.machine.ownFault()) {
            if (fault) {
                LOG.warn("instance {}: fault: {}", i.config.name(), i.tracking.faultReason());
            }
            dispatch(i, new VrrpEvent.FaultChanged(fault), now);
        }
    }

    /** Applies an event and everything it causes (sync-group followers), breadth-first, to completion. */
    private void dispatch(Instance first, VrrpEvent event, long now) {
        step(first, event, now); // the common case (a timer, an advert) allocates nothing
        Work w;
        while ((w = work.poll()) != null) {
            step(w.instance(), w.event(), now);
        }
    }

    private void step(Instance i, VrrpEvent event, long now) {
        ActionList actions = i.machine.handle(event, now);
        for (int k = 0; k < actions.size(); k++) {
            execute(i, actions.get(k), now);
        }
        if (i.group != null) {
            followGroup(i.group, now);
        }
        publishStatus(i);
    }

    private void execute(Instance i, Action a, long now) {
        if (a instanceof Action.SendAdvert s) {
            sendAdvert(i, s.priority());
        } else if (a instanceof Action.AddAddresses) {
            i.addresses.addAll();
        } else if (a instanceof Action.RemoveAddresses) {
            i.announce.stop();
            if (deferRemovals) {
                deferred.add(i);
            } else {
                i.addresses.removePresent();
            }
        } else if (a instanceof Action.Announce) {
            i.addresses.announce(i.announce.start(now));
        } else if (a instanceof Action.Notify n) {
            if (n.from() == State.MASTER) {
                i.lastAdvertAt = Long.MIN_VALUE; // lateness is measured between adverts of one mastership
            }
            counters.transition(n.to());
            i.counters.transition(n.to());
            LOG.info("instance {} (vrid {}): {} -> {} ({}), priority {}", i.config.name(), i.config.vrid(), n.from(), n.to(),
                    n.reason(), n.priority());
            listener.onTransition(new TransitionEvent(++sequence, now, "INSTANCE", i.config.name(), n.from(), n.to(),
                    n.reason(), n.priority()));
            if (i.group != null && n.from() == State.MASTER && n.to() == State.BACKUP
                    && n.reason() != TransitionReason.SYNC_GROUP && n.reason() != TransitionReason.SWITCHOVER) {
                for (int k = 0; k < i.group.members.size(); k++) {
                    if (k != i.groupIndex && i.group.members.get(k).state() == State.MASTER) {
                        work.add(new Work(byName.get(i.group.memberNames.get(k)), VrrpEvent.GROUP_BACKUP));
                    }
                }
            }
        } else if (a instanceof Action.RequestMaster) {
            SyncGroup g = i.group;
            if (g != null && g.allReadyForMaster()) {
                for (int k = 0; k < g.members.size(); k++) {
                    if (g.members.get(k).wantsMaster()) {
                        work.add(new Work(byName.get(g.memberNames.get(k)), VrrpEvent.GROUP_GO_MASTER));
                    }
                }
            }
        } else if (a instanceof Action.PeerResigned) {
            SyncGroup g = i.group;
            for (int k = 0; g != null && k < g.members.size(); k++) {
                if (k != i.groupIndex) {
                    work.add(new Work(byName.get(g.memberNames.get(k)), VrrpEvent.GROUP_PEER_RESIGNED));
                }
            }
        }
        // ScheduleTimer / CancelTimer: the machine keeps its deadlines; poll() reads them.
    }

    private void sendAdvert(Instance i, int priority) {
        if (priority > 0) {
            long t = clock.nanoTime();
            if (i.lastAdvertAt != Long.MIN_VALUE) {
                long late = t - i.lastAdvertAt - org.lvsha.vrrp.proto.MasterDownInterval.centisToNanos(i.config.advertIntervalCentis());
                counters.advertLate(late);
                i.counters.advertLate(late);
            }
            i.lastAdvertAt = t;
        }
        for (int d = 0; d < i.destinations.length; d++) {
            int len = VrrpCodec.encode(i.template, priority, i.destinationBytes[d], i.buffer, 0);
            try {
                transport.send(i.config.interfaceName(), i.config.primaryAddress(), i.destinations[d], i.buffer, 0, len);
                counters.advertSent(priority);
                i.counters.advertSent(priority);
            } catch (RuntimeException e) {
                counters.sendError();
                i.counters.sendError();
                LOG.error("instance {}: advert to {} on {} failed: {}", i.config.name(), i.destinations[d].getHostAddress(),
                        i.config.interfaceName(), e.getMessage());
            }
        }
    }

    private void followGroup(SyncGroup g, long now) {
        for (int k = 0; k < g.members.size(); k++) {
            Instance m = byName.get(g.memberNames.get(k));
            boolean hold = g.siblingFaulty(k);
            if (hold != m.groupFaultSent) {
                m.groupFaultSent = hold;
                work.add(new Work(m, new VrrpEvent.GroupFault(hold)));
            }
        }
        if (work.isEmpty()) {
            State s = g.state();
            if (s != g.reported) {
                State from = g.reported;
                g.reported = s;
                LOG.info("sync group {}: {} -> {}", g.name, from, s);
                listener.onTransition(new TransitionEvent(++sequence, now, "GROUP", g.name, from, s, TransitionReason.SYNC_GROUP, 0));
            }
        }
    }

    private void publishStatus(Instance i) {
        VrrpStateMachine m = i.machine;
        InstanceStatus last = status.get(i.config.name());
        if (last != null && last.state() == m.state() && last.priority() == m.priority() && last.masterAddress() == m.masterAddress()
                && last.masterPriority() == m.masterPriority() && last.masterAdverIntervalCentis() == m.masterAdverIntervalCentis()
                && last.fault() == m.faulty()) {
            return; // unchanged: keep the steady advert path free of allocation
        }
        status.put(i.config.name(), new InstanceStatus(i.config.name(), i.config.vrid(), m.state(), m.priority(),
                m.masterAddress(), m.masterPriority(), m.masterAdverIntervalCentis(), i.config.accept(), m.faulty(),
                i.group == null ? null : i.group.name));
    }
}
