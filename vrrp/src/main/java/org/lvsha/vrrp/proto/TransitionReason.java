package org.lvsha.vrrp.proto;

/** Why a state changed; carried in {@link Action.Notify} and the event stream. */
public enum TransitionReason {
    STARTUP, OWNER_STARTUP, MASTER_DOWN_TIMER, PRIORITY_ZERO_RECEIVED, HIGHER_PRIORITY_ADVERT, SHUTDOWN,
    FAULT, FAULT_CLEARED, SYNC_GROUP, SWITCHOVER
}
