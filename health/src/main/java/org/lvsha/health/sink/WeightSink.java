package org.lvsha.health.sink;

import java.util.List;

/**
 * The health module's output port: where desired destination states go. The daemon wires it to the
 * {@code Ipvs} port. Called from one thread (the engine's policy loop), only while the node is active
 * (VRRP master); implementations must not block for long.
 */
public interface WeightSink {
    /** Destinations whose desired state changed, each complete. */
    void apply(List<DesiredDestination> changed);

    /**
     * The whole desired table, sent when the node becomes active so the table matches what was computed
     * while it was backup. Defaults to {@link #apply}.
     */
    default void resync(List<DesiredDestination> table) {
        apply(table);
    }
}
