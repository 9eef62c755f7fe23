package org.lvsha.vrrp.proto;

import java.net.InetAddress;
import java.util.Arrays;
import org.lvsha.vrrp.proto.Action.Notify;
import org.lvsha.vrrp.proto.Action.ScheduleTimer;
import org.lvsha.vrrp.proto.Action.SendAdvert;
import org.lvsha.vrrp.proto.VrrpEvent.AdvertReceived;
import org.lvsha.vrrp.proto.VrrpEvent.FaultChanged;
import org.lvsha.vrrp.proto.VrrpEvent.GroupFault;
import org.lvsha.vrrp.proto.VrrpEvent.PriorityChanged;
import org.lvsha.vrrp.proto.VrrpEvent.TimerFired;

/**
 * One VRRP instance's protocol: {@code (state, event, now) → (state', actions)}, RFC 5798 §6.4 (and the
 * RFC 3768 §6.4 differences for v2). No clock, no I/O, no threads: the caller passes {@code now}
 * (monotonic nanoseconds), executes the returned actions and delivers {@link TimerFired} when a
 * scheduled deadline passes. A timer event whose deadline is not armed or not yet reached is ignored,
 * so stale timers are harmless.
 *
 * <p>Beyond the RFC (each marked where it happens): FAULT state, preempt delay, sync-group consent and resignation,
 * split-brain re-announce, and make-before-break switchover.
 */
public final class VrrpStateMachine {
    private static final long NONE = Long.MIN_VALUE;
    /** The shortest handover window (see {@link #handoverWindowNanos}). */
    static final long HANDOVER_FLOOR_NANOS = 3_000_000_000L;

    private final MachineParams p;
    private final byte[] ownAddress;
    private final ActionList out = new ActionList();

    private State state = State.INITIALIZE;
    private int priority;
    private int masterAdverIntervalCentis;
    private final long[] deadlines = {NONE, NONE, NONE};
    private final ScheduleTimer[] schedules = {new ScheduleTimer(TimerKind.ADVERT, NONE),
        new ScheduleTimer(TimerKind.MASTER_DOWN, NONE), new ScheduleTimer(TimerKind.HANDOVER, NONE)};
    private long preemptAllowedAt;
    private boolean ownFault;
    private boolean groupFault;
    private boolean wantMaster;
    private boolean handingOver;
    private boolean preemptSuppressed;
    private long lastReannounce = NONE;
    private InetAddress masterAddress;
    private int masterPriority;
    /** When this backup last accepted its master's advert or became backup (NONE after Initialize, before any). */
    private long lastAcceptedAdvert = NONE;

    public VrrpStateMachine(MachineParams params) {
        this.p = params;
        this.ownAddress = params.primaryAddress().getAddress();
        this.priority = params.priority();
        this.masterAdverIntervalCentis = params.advertIntervalCentis();
    }

    /** Applies one event; returns this step's actions (a reused list, valid until the next call). */
    public ActionList handle(VrrpEvent event, long now) {
        out.reset();
        if (event instanceof AdvertReceived a) {
            advert(a, now);
        } else if (event instanceof TimerFired t) {
            timer(t.kind(), now);
        } else if (event instanceof VrrpEvent.Startup) {
            startup(now, TransitionReason.STARTUP);
        } else if (event instanceof VrrpEvent.Shutdown) {
            shutdown(now);
        } else if (event instanceof PriorityChanged c) {
            priorityChanged(c.priority(), now);
        } else if (event instanceof FaultChanged f) {
            fault(f.fault(), groupFault, now);
        } else if (!p.syncGrouped() && (event instanceof GroupFault || event instanceof VrrpEvent.GroupGoMaster
                || event instanceof VrrpEvent.GroupBackup || event instanceof VrrpEvent.GroupPeerResigned)) {
            return out; // group events mean nothing to an instance outside a sync group
        } else if (event instanceof GroupFault g) {
            fault(ownFault, g.fault(), now);
        } else if (event instanceof VrrpEvent.GroupGoMaster) {
            if (state == State.BACKUP && wantMaster) {
                becomeMaster(now, TransitionReason.SYNC_GROUP);
            }
        } else if (event instanceof VrrpEvent.GroupBackup) {
            if (state == State.MASTER) {
                // Leaving mastership because a sibling lost it: say so with priority 0 so that the
                // peer's sibling takes over after Skew_Time instead of Master_Down_Interval.
                handingOver = false;
                cancel(TimerKind.HANDOVER);
                emit(SendAdvert.of(0));
                becomeBackup(now, masterAdverIntervalCentis, TransitionReason.SYNC_GROUP);
            }
        } else if (event instanceof VrrpEvent.GroupPeerResigned) {
            siblingPeerResigned(now);
        } else if (event instanceof VrrpEvent.SwitchoverRequest) {
            switchover(now);
        }
        return out;
    }

    // ---- RFC 5798 §6.4.1 Initialize ----

    private void startup(long now, TransitionReason reason) {
        if (state != State.INITIALIZE && reason == TransitionReason.STARTUP) {
            return;
        }
        preemptAllowedAt = now + p.preemptDelayNanos();
        if (ownFault || groupFault) {
            transition(State.FAULT, TransitionReason.FAULT);
            return;
        }
        if (p.owner()) {
            // §6.4.1: "If the Priority = 255 ... transition to the Master state"
            becomeMaster(now, reason == TransitionReason.STARTUP ? TransitionReason.OWNER_STARTUP : reason);
            return;
        }
        // §6.4.1: Master_Adver_Interval = Advertisement_Interval; Master_Down_Timer = Master_Down_Interval.
        masterAdverIntervalCentis = p.advertIntervalCentis();
        lastAcceptedAdvert = NONE;
        emit(Action.REMOVE_ADDRESSES); // stale copies from a previous run (idempotent)
        arm(TimerKind.MASTER_DOWN, now + masterDownInterval());
        transition(State.BACKUP, reason);
    }

    private void shutdown(long now) {
        switch (state) {
            case MASTER -> {
                // §6.4.3: cancel Adver_Timer, send an ADVERTISEMENT with Priority = 0, go to Initialize.
                cancel(TimerKind.ADVERT);
                cancel(TimerKind.HANDOVER);
                emit(SendAdvert.of(0));
                emit(Action.REMOVE_ADDRESSES);
            }
            case BACKUP -> cancel(TimerKind.MASTER_DOWN); // §6.4.2
            case FAULT -> { }
            case INITIALIZE -> {
                return;
            }
        }
        wantMaster = false;
        handingOver = false;
        transition(State.INITIALIZE, TransitionReason.SHUTDOWN);
    }

    // ---- adverts: §6.4.2 (Backup) and §6.4.3 (Master) ----

    private void advert(AdvertReceived a, long now) {
        if (p.owner()) {
            return; // §7.1: the address owner discards adverts (AdvertCheck counts them as OWNER_DISCARD)
        }
        if (state == State.BACKUP) {
            if (a.priority() == 0) {
                // §6.4.2: "If the Priority in the ADVERTISEMENT is zero, then: Set the Master_Down_Timer to Skew_Time".
                // A sync-group member already waiting for its siblings is past that point.
                if (!wantMaster) {
                    arm(TimerKind.MASTER_DOWN, now + skewTime());
                }
                if (p.syncGrouped()) {
                    emit(Action.PEER_RESIGNED); // beyond the RFC: see siblingPeerResigned
                }
                return;
            }
            if (!preemptNow(now) || a.priority() >= priority) {
                // §6.4.2: accept this master; v3 adopts its interval (v2: identical by §7.1, checked upstream).
                if (p.version() == 3) {
                    masterAdverIntervalCentis = a.intervalCentis();
                }
                masterAddress = a.source();
                masterPriority = a.priority();
                wantMaster = false;
                lastAcceptedAdvert = now;
                arm(TimerKind.MASTER_DOWN, now + masterDownInterval());
            }
            // else §6.4.2: discard; our Master_Down_Timer will fire and we preempt.
            return;
        }
        if (state != State.MASTER) {
            return; // Initialize and Fault ignore adverts
        }
        if (handingOver) {
            if (a.priority() > 0) {
                // Switchover: the new master is advertising, so its addresses are up and announced;
                // only now do we let go of ours (make-before-break).
                handingOver = false;
                cancel(TimerKind.HANDOVER);
                preemptSuppressed = true;
                masterAddress = a.source();
                masterPriority = a.priority();
                becomeBackup(now, p.version() == 3 ? a.intervalCentis() : masterAdverIntervalCentis, TransitionReason.SWITCHOVER);
            }
            return;
        }
        if (a.priority() == 0) {
            // §6.4.3: "If the Priority in the ADVERTISEMENT is zero, then: Send an ADVERTISEMENT; Reset the Adver_Timer"
            sendAdvertNow(now);
            return;
        }
        if (a.priority() > priority || a.priority() == priority && sourceWins(a.source())) {
            // §6.4.3: higher priority, or equal priority and higher primary address: become Backup,
            // adopting the sender's interval (v3).
            masterAddress = a.source();
            masterPriority = a.priority();
            becomeBackup(now, p.version() == 3 ? a.intervalCentis() : masterAdverIntervalCentis,
                    TransitionReason.HIGHER_PRIORITY_ADVERT);
            return;
        }
        // §6.4.3 says discard. Beyond the RFC (split-brain healing, as keepalived): another master that is
        // lower is out there; answer at once so it yields, and re-announce so neighbours repoint to us.
        // Rate-limited so a misbehaving peer cannot make us flood.
        if (lastReannounce == NONE || now - lastReannounce >= p.reannounceMinGapNanos()) {
            lastReannounce = now;
            sendAdvertNow(now);
            emit(Action.ANNOUNCE);
        }
    }

    /** Equal priority: "the primary IPvX Address of the sender is greater than the local primary IPvX Address" (unsigned bytes). */
    private boolean sourceWins(InetAddress source) {
        return Arrays.compareUnsigned(source.getAddress(), ownAddress) > 0;
    }

    private boolean preemptNow(long now) {
        return p.preempt() && !preemptSuppressed && now - preemptAllowedAt >= 0;
    }

    /**
     * Beyond the RFC (sync groups): a sibling's master resigned. The peer's group leaves mastership together and
     * sends priority 0 on each link it still has, but not on one it has lost: when the master's outside link goes
     * down, only the inside member hears the resignation, and the outside member would wait its whole
     * Master_Down_Interval (the group goes master only together). So this member stops waiting once its own
     * master has had time to speak: its next advert is due one Master_Adver_Interval after the last one; half an
     * interval more allows for a late sender, and Skew_Time keeps the best backup first. A master that is alive
     * (another router, in a mixed set-up) is heard in that window and re-arms the timer as usual. Never later than
     * the timer already armed, never earlier than Skew_Time from now.
     */
    private void siblingPeerResigned(long now) {
        if (state != State.BACKUP || wantMaster) {
            return;
        }
        long interval = MasterDownInterval.centisToNanos(masterAdverIntervalCentis);
        long since = lastAcceptedAdvert == NONE ? now : lastAcceptedAdvert;
        long deadline = Math.max(now, since + interval + interval / 2) + skewTime();
        long armed = deadlines[TimerKind.MASTER_DOWN.ordinal()];
        if (armed == NONE || deadline - armed < 0) {
            arm(TimerKind.MASTER_DOWN, deadline);
        }
    }

    // ---- timers ----

    private void timer(TimerKind kind, long now) {
        long d = deadlines[kind.ordinal()];
        if (d == NONE || now - d < 0) {
            return; // stale or early
        }
        deadlines[kind.ordinal()] = NONE;
        switch (kind) {
            case ADVERT -> {
                if (state == State.MASTER && !handingOver) {
                    sendAdvertNow(now); // §6.4.3: send, reset Adver_Timer
                }
            }
            case MASTER_DOWN -> {
                if (state != State.BACKUP) {
                    return;
                }
                if (p.syncGrouped()) {
                    // Beyond the RFC: a sync-group member goes master only with all its siblings.
                    wantMaster = true;
                    emit(Action.REQUEST_MASTER);
                } else {
                    becomeMaster(now, TransitionReason.MASTER_DOWN_TIMER); // §6.4.2
                }
            }
            case HANDOVER -> {
                if (state == State.MASTER && handingOver) {
                    // Nobody took over: keep mastership (the addresses never left).
                    handingOver = false;
                    sendAdvertNow(now);
                }
            }
        }
    }

    // ---- tracking, fault, switchover ----

    private void priorityChanged(int newPriority, long now) {
        if (p.owner() || newPriority == priority) {
            return; // the address owner's 255 is not adjusted by tracking
        }
        if (newPriority < 1 || newPriority > 254) {
            throw new IllegalArgumentException("tracked priority out of 1-254: " + newPriority);
        }
        priority = newPriority;
        if (state == State.MASTER && !handingOver) {
            sendAdvertNow(now); // let backups compare against the new priority without waiting an interval
        }
    }

    private void fault(boolean own, boolean group, long now) {
        boolean was = ownFault || groupFault;
        ownFault = own;
        groupFault = group;
        boolean is = own || group;
        if (was == is || state == State.INITIALIZE) {
            return;
        }
        if (is) {
            if (state == State.MASTER) {
                cancel(TimerKind.ADVERT);
                cancel(TimerKind.HANDOVER);
                emit(SendAdvert.of(0)); // let a backup take over after Skew_Time
                emit(Action.REMOVE_ADDRESSES);
            } else if (state == State.BACKUP) {
                cancel(TimerKind.MASTER_DOWN);
            }
            wantMaster = false;
            handingOver = false;
            transition(State.FAULT, TransitionReason.FAULT);
        } else if (state == State.FAULT) {
            // Leave FAULT by the Initialize rules of §6.4.1; observers see FAULT -> BACKUP (or MASTER for an owner).
            startup(now, TransitionReason.FAULT_CLEARED);
        }
    }

    private void switchover(long now) {
        if (state != State.MASTER || handingOver || p.owner()) {
            return; // the address owner cannot hand over: it discards every advert (§7.1) and would never let go
        }
        // Priority 0 makes the best backup take over after its Skew_Time (§6.4.2); we stop advertising
        // but keep the addresses until we hear it (see advert()). If nobody answers within the
        // handover window, we resume.
        handingOver = true;
        cancel(TimerKind.ADVERT);
        emit(SendAdvert.of(0));
        arm(TimerKind.HANDOVER, now + handoverWindowNanos(p.version(), p.advertIntervalCentis()));
    }

    /**
     * How long a master handing over waits for the new master's advert: Master_Down_Interval plus one
     * interval, and at least {@link #HANDOVER_FLOOR_NANOS}. A live backup takes over within its
     * Master_Down_Interval even if it missed the priority-0 advert, since we are silent; the window only
     * decides when we give up. With 100 ms adverts the protocol's figure is under half a second, and a
     * backup whose threads are starved for that long (a loaded host) used to find the switchover
     * abandoned. Waiting longer costs nothing: the addresses stay here until the new master speaks.
     */
    public static long handoverWindowNanos(int version, int advertIntervalCentis) {
        long protocol = MasterDownInterval.nanos(version, 1, advertIntervalCentis)
                + MasterDownInterval.centisToNanos(advertIntervalCentis);
        return Math.max(protocol, HANDOVER_FLOOR_NANOS);
    }

    // ---- transitions ----

    private void becomeMaster(long now, TransitionReason reason) {
        // §6.4.1/§6.4.2: send an ADVERTISEMENT, announce the addresses, arm Adver_Timer. The addresses
        // are configured first so that forwarding works the moment neighbours repoint.
        cancel(TimerKind.MASTER_DOWN);
        wantMaster = false;
        preemptSuppressed = false;
        masterAddress = p.primaryAddress();
        masterPriority = priority;
        emit(Action.ADD_ADDRESSES);
        emit(SendAdvert.of(priority));
        emit(Action.ANNOUNCE);
        arm(TimerKind.ADVERT, now + MasterDownInterval.centisToNanos(p.advertIntervalCentis()));
        transition(State.MASTER, reason);
    }

    private void becomeBackup(long now, int newMasterIntervalCentis, TransitionReason reason) {
        // §6.4.3: cancel Adver_Timer, set Master_Adver_Interval, recompute Skew_Time and
        // Master_Down_Interval, arm Master_Down_Timer, go to Backup.
        cancel(TimerKind.ADVERT);
        masterAdverIntervalCentis = newMasterIntervalCentis;
        lastAcceptedAdvert = now; // the new master was just heard (or, following the group, counts from now)
        emit(Action.REMOVE_ADDRESSES);
        arm(TimerKind.MASTER_DOWN, now + masterDownInterval());
        transition(State.BACKUP, reason);
    }

    private void sendAdvertNow(long now) {
        emit(SendAdvert.of(priority));
        arm(TimerKind.ADVERT, now + MasterDownInterval.centisToNanos(p.advertIntervalCentis()));
    }

    private void transition(State to, TransitionReason reason) {
        State from = state;
        state = to;
        emit(new Notify(from, to, reason, priority));
    }

    private void arm(TimerKind k, long deadline) {
        deadlines[k.ordinal()] = deadline;
        emit(schedules[k.ordinal()].reuse(deadline));
    }

    private void cancel(TimerKind k) {
        if (deadlines[k.ordinal()] != NONE) {
            deadlines[k.ordinal()] = NONE;
            emit(k == TimerKind.ADVERT ? Action.CANCEL_ADVERT : k == TimerKind.MASTER_DOWN ? Action.CANCEL_MASTER_DOWN
                    : Action.CANCEL_HANDOVER);
        }
    }

    private void emit(Action a) {
        out.add0(a);
    }

    // ---- observation ----

    public State state() {
        return state;
    }

    public int priority() {
        return priority;
    }

    public MachineParams params() {
        return p;
    }

    public int masterAdverIntervalCentis() {
        return masterAdverIntervalCentis;
    }

    /** Skew_Time for the current priority and Master_Adver_Interval. */
    public long skewTime() {
        return SkewTime.nanos(p.version(), priority, masterAdverIntervalCentis);
    }

    /** Master_Down_Interval for the current priority and Master_Adver_Interval. */
    public long masterDownInterval() {
        return MasterDownInterval.nanos(p.version(), priority, masterAdverIntervalCentis);
    }

    /** The armed deadline of a timer, or {@link Long#MIN_VALUE} if it is not armed. */
    public long deadline(TimerKind k) {
        return deadlines[k.ordinal()];
    }

    /** Earliest armed deadline, or {@link Long#MAX_VALUE}. */
    public long nextDeadline() {
        long min = Long.MAX_VALUE;
        for (long d : deadlines) {
            if (d != NONE && d < min) {
                min = d;
            }
        }
        return min;
    }

    public boolean wantsMaster() {
        return wantMaster;
    }

    public boolean handingOver() {
        return handingOver;
    }

    public boolean faulty() {
        return ownFault || groupFault;
    }

    public boolean ownFault() {
        return ownFault;
    }

    /** The master as last heard (or this node when master); null before any. */
    public InetAddress masterAddress() {
        return masterAddress;
    }

    public int masterPriority() {
        return masterPriority;
    }
}
