package org.lvsha.health.event;

/** A transition worth telling people about. {@code realServerId} is null for service-level events. */
public record HealthEvent(Kind kind, String serviceId, String realServerId, String detail, long atNanos) {
    public enum Kind {
        SERVER_UP,
        SERVER_DOWN,
        SERVER_DRAINED,
        SERVER_MAINTENANCE,
        /** Left drain or maintenance. */
        SERVER_READY,
        QUORUM_LOST,
        QUORUM_REGAINED
    }
}
