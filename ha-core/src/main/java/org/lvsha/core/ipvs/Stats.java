package org.lvsha.core.ipvs;

/** Cumulative counters of a service or destination (§2.3 IPVS_STATS_ATTR 1-5). */
public record Stats(long conns, long inPackets, long outPackets, long inBytes, long outBytes) {
    public static final Stats ZERO = new Stats(0, 0, 0, 0, 0);
}
