package org.lvsha.vrrp.proto;

import java.net.InetAddress;

/** Inputs of {@link VrrpStateMachine}. Field-less events are singletons so the timer path allocates nothing. */
public sealed interface VrrpEvent {
    /** RFC 5798 §6.4.1 Startup event. */
    record Startup() implements VrrpEvent { }

    /** RFC 5798 §6.4.2/§6.4.3 Shutdown event. */
    record Shutdown() implements VrrpEvent { }

    /**
     * A valid ADVERTISEMENT for this instance (already past the codec and {@code AdvertCheck}).
     *
     * @param source            the sender's primary address (IP source), compared for the equal-priority tie-break
     * @param intervalCentis    the advertised interval in centiseconds (v2: seconds × 100)
     */
    record AdvertReceived(int priority, int intervalCentis, InetAddress source) implements VrrpEvent { }

    record TimerFired(TimerKind kind) implements VrrpEvent {
        private static final TimerFired[] CACHE = {new TimerFired(TimerKind.ADVERT), new TimerFired(TimerKind.MASTER_DOWN),
            new TimerFired(TimerKind.HANDOVER)};

        public static TimerFired of(TimerKind k) {
            return CACHE[k.ordinal()];
        }
    }

    /** Tracking moved the effective priority (ignored by an address owner, priority 255). */
    record PriorityChanged(int priority) implements VrrpEvent { }

    /** A tracked object with fault semantics failed ({@code fault = true}) or recovered. */
    record FaultChanged(boolean fault) implements VrrpEvent { }

    /** Another member of the sync group is in FAULT ({@code fault = true}) or none is any more. */
    record GroupFault(boolean fault) implements VrrpEvent { }

    /** Every member of the sync group wants to be master: go. */
    record GroupGoMaster() implements VrrpEvent { }

    /** Another member of the sync group left MASTER for BACKUP: follow. */
    record GroupBackup() implements VrrpEvent { }

    /**
     * A sibling in BACKUP heard its master resign (priority 0). The peer's sync group leaves mastership as a
     * whole, saying so on every link it still has; this member may be on a link it has just lost.
     */
    record GroupPeerResigned() implements VrrpEvent { }

    /** Operator's planned switchover: a master hands mastership to the best backup, make-before-break. */
    record SwitchoverRequest() implements VrrpEvent { }

    Startup STARTUP = new Startup();
    Shutdown SHUTDOWN = new Shutdown();
    GroupGoMaster GROUP_GO_MASTER = new GroupGoMaster();
    GroupBackup GROUP_BACKUP = new GroupBackup();
    GroupPeerResigned GROUP_PEER_RESIGNED = new GroupPeerResigned();
    SwitchoverRequest SWITCHOVER = new SwitchoverRequest();
}
