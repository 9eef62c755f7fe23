package org.lvsha.vrrp.proto;

/** Master_Down_Interval = 3 × Master_Adver_Interval + Skew_Time (RFC 5798 §6.1, RFC 3768 §6.1). */
public final class MasterDownInterval {
    private MasterDownInterval() {
    }

    public static long nanos(int version, int priority, int masterAdverIntervalCentis) {
        return 3 * centisToNanos(masterAdverIntervalCentis) + SkewTime.nanos(version, priority, masterAdverIntervalCentis);
    }

    public static long centisToNanos(int centis) {
        return centis * 10_000_000L;
    }
}
