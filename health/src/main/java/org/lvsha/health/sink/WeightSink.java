package org.lvsha.health.sink;

import java.util.List;

/**
 * The health module's output port: where desired destination states go. The daemon wires it to the
 * {@code Ipvs} port. Called from one thread (the engine's policy loop), only while the node is active
 * (VRRP master); implementations must not block for long.
 */
public interface WeightSink {
    /**
     * Destinations whose desired state changed, each complete, to be applied in the order given: the policy lists
     * the destinations that take traffic before those that stop, so applying them one by one never leaves a service
     * with nowhere to send a new connection (e.g. the sorry server comes in before the last real server goes to 0).
     */
    void apply(List<DesiredDestination> changed);

    /**
     * The whole desired table, sent when the node becomes active so the table matches what was computed
     * while it was backup. Defaults to {@link #apply}.
     */
    default void resync(List<DesiredDestination> table) {
        apply(table);
    }
}
