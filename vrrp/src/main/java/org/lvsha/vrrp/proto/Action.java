package org.lvsha.vrrp.proto;

/** Outputs of {@link VrrpStateMachine}; the node executes them in order. */
public sealed interface Action {
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

    record ScheduleTimer(TimerKind kind, long deadlineNanos) implements Action { }

    record CancelTimer(TimerKind kind) implements Action { }

    /** A state change, for hooks, the event stream and counters. */
    record Notify(State from, State to, TransitionReason reason, int priority) implements Action { }

    /** A sync-group member whose Master_Down_Timer fired asks the group to go master together. */
    record RequestMaster() implements Action { }

    AddAddresses ADD_ADDRESSES = new AddAddresses();
    RemoveAddresses REMOVE_ADDRESSES = new RemoveAddresses();
    Announce ANNOUNCE = new Announce();
    RequestMaster REQUEST_MASTER = new RequestMaster();
    CancelTimer CANCEL_ADVERT = new CancelTimer(TimerKind.ADVERT);
    CancelTimer CANCEL_MASTER_DOWN = new CancelTimer(TimerKind.MASTER_DOWN);
    CancelTimer CANCEL_HANDOVER = new CancelTimer(TimerKind.HANDOVER);
}
