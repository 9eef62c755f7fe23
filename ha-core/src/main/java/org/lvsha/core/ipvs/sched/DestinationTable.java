package org.lvsha.core.ipvs.sched;

/**
 * What a scheduler sees of a service's destinations, in list order (the kernel's {@code svc->destinations}).
 * Implementations are flyweights over live counters; the scheduler reads them on every decision and must not
 * keep references to the returned arrays across {@link Scheduler#destinationsChanged} calls.
 */
public interface DestinationTable {

    int size();

    /** Current weight; ≤ 0 means quiesced: no new connections (§4). */
    int weight(int index);

    /**
     * The last positive weight (kernel {@code dest->last_weight}); mh lays out its lookup table by it so a
     * quiesced destination keeps its slots (§4 mh). Defaults to the current weight.
     */
    default int lastWeight(int index) {
        return weight(index);
    }

    int activeConns(int index);

    int inactiveConns(int index);

    /** The kernel's {@code IP_VS_DEST_F_OVERLOAD}: set at the upper threshold, cleared under the lower one. */
    boolean overloaded(int index);

    /** Raw address bytes (4 or 16). The caller must not modify them. */
    byte[] address(int index);

    int port(int index);

    /** {@code ip_vs_dest_conn_overhead}: active × 256 + inactive (K-H). */
    default long overhead(int index) {
        return ((long) activeConns(index) << 8) + inactiveConns(index);
    }

    /** Weight &gt; 0 and not overloaded: may take a new connection (§4 common rules). */
    default boolean available(int index) {
        return weight(index) > 0 && !overloaded(index);
    }
}
