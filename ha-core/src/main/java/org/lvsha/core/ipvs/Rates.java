package org.lvsha.core.ipvs;

/** Estimated rates of a service or destination (§2.3 IPVS_STATS_ATTR 6-10): per second. */
public record Rates(long cps, long inPps, long outPps, long inBps, long outBps) {
    public static final Rates ZERO = new Rates(0, 0, 0, 0, 0);
}
