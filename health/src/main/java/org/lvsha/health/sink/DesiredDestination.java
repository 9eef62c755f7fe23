package org.lvsha.health.sink;

/**
 * The complete desired state of one destination of one virtual service, as health checking decides it.
 * The integrator merges it with the destination's configured forwarding method and thresholds and sends
 * the complete object to the {@code Ipvs} port (ipvsadm semantics: never a partial edit).
 *
 * @param present false when the destination must not be in the table at all (removal, maintenance, sorry server standing by)
 * @param weight  the weight to program (meaningless when absent, then 0)
 */
public record DesiredDestination(String serviceId, String realServerId, String address, int port, boolean present, int weight,
                                 Reason reason) {
    /** Why the destination has this state (for logs, status output and metrics). */
    public enum Reason {
        /** Not probed yet: kept out of rotation (weight 0, or absent with {@code onFailure: remove}). */
        NOT_CHECKED,
        HEALTHY,
        /** Healthy and ramping towards its weight after recovery or maintenance. */
        SLOW_START,
        /** Healthy with a weight reported by its agent or a command. */
        DYNAMIC_WEIGHT,
        CHECK_FAILED,
        DRAIN,
        MAINTENANCE,
        /** Kept at weight 0 while the sorry server has the service. */
        QUORUM_LOST,
        SORRY_SERVER_ACTIVE,
        SORRY_SERVER_STANDBY
    }

    public static DesiredDestination absent(String serviceId, String realServerId, String address, int port, Reason reason) {
        return new DesiredDestination(serviceId, realServerId, address, port, false, 0, reason);
    }
}
