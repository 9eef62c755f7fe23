package org.lvsha.vrrp.proto;

/** Outputs of {@link VrrpStateMachine}; the node executes them in order. */
public sealed interface Action permits Action.SendAdvert, Action.AddAddresses, Action.RemoveAddresses,
        Action.Announce, Action.ScheduleTimer, Action.CancelTimer, Action.Notify, Action.RequestMaster,
        Action.PeerResigned {
    /** Send one ADVERTISEMENT with this priority (0: "I am stopping", RFC 5798 §6.4.3). */
    record SendAdvert(int priority) implements Action {
        private static final SendAdvert[] CACHE = new SendAdvert[256];

        static {
            for (int i = 0; i < 256; i++) {
                CACHE[i] = new SendAdvert(i);
            }
        }

        public static SendAdvert of(int priority) {
            return CACHE[priority];
        }
    }

    /** Configure the instance's virtual addresses. */
    record AddAddresses() implements Action { }

    /** Remove the instance's virtual addresses (also used on start to clear stale copies). */
    record RemoveAddresses() implements Action { }

    /** Start an announcement plan: gratuitous ARP / unsolicited NA bursts (RFC 5798 §6.4.1 and §8.1.2). */
    record Announce() implements Action { }

    /**
     * Arm a timer. To keep the advert path allocation-free, each machine reuses one instance per timer
     * kind ({@link #reuse}); as with the rest of an {@link ActionList}, copy the values to keep them.
     */
    final class ScheduleTimer implements Action {
        private final TimerKind kind;
        private long deadlineNanos;

        public ScheduleTimer(TimerKind kind, long deadlineNanos) {
            this.kind = kind;
            this.deadlineNanos = deadlineNanos;
        }

        ScheduleTimer reuse(long deadline) {
            this.deadlineNanos = deadline;
            return this;
        }

        public TimerKind kind() {
            return kind;
        }

        public long deadlineNanos() {
            return deadlineNanos;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof ScheduleTimer t && t.kind == kind && t.deadlineNanos == deadlineNanos;
        }

        @Override
        public int hashCode() {
            return kind.hashCode() * 31 + Long.hashCode(deadlineNanos);
        }

        @Override
        public String toString() {
            return "ScheduleTimer[kind=" + kind + ", deadlineNanos=" + deadlineNanos + "]";
        }
    }

    record CancelTimer(TimerKind kind) implements Action { }

    /** A state change, for hooks, the event stream and counters. */
    record Notify(State from, State to, TransitionReason reason, int priority) implements Action { }

    /** A sync-group member whose Master_Down_Timer fired asks the group to go master together. */
    record RequestMaster() implements Action { }

    /** A sync-group member in BACKUP heard its master resign (priority 0): its siblings are told. */
    record PeerResigned() implements Action { }

    AddAddresses ADD_ADDRESSES = new AddAddresses();
    RemoveAddresses REMOVE_ADDRESSES = new RemoveAddresses();
    Announce ANNOUNCE = new Announce();
    RequestMaster REQUEST_MASTER = new RequestMaster();
    PeerResigned PEER_RESIGNED = new PeerResigned();
    CancelTimer CANCEL_ADVERT = new CancelTimer(TimerKind.ADVERT);
    CancelTimer CANCEL_MASTER_DOWN = new CancelTimer(TimerKind.MASTER_DOWN);
    CancelTimer CANCEL_HANDOVER = new CancelTimer(TimerKind.HANDOVER);
}
