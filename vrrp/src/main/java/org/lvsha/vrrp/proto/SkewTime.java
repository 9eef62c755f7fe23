package org.lvsha.vrrp.proto;

/** Skew_Time: how much later a lower-priority backup declares the master down. */
public final class SkewTime {
    private SkewTime() {
    }

    /**
     * v3 (RFC 5798 §6.1): {@code ((256 - Priority) * Master_Adver_Interval) / 256}, with the interval in
     * centiseconds; v2 (RFC 3768 §6.1): {@code (256 - Priority) / 256} seconds, independent of the interval.
     * Computed in nanoseconds: 10^7 ns per centisecond times 256ths is exact to the nanosecond.
     */
    public static long nanos(int version, int priority, int masterAdverIntervalCentis) {
        if (version == 2) {
            return (256L - priority) * 1_000_000_000L / 256;
        }
        return (256L - priority) * masterAdverIntervalCentis * 10_000_000L / 256;
    }
}
