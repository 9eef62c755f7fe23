package org.lvsha.sync.replication;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A lock-free log-linear histogram of durations in microseconds: exact below 64 µs, then 32
 * sub-buckets per power of two (≤ 3 % error), up to about 2^40 µs. Recording is one atomic add.
 */
public final class LatencyHistogram {
    private static final int LINEAR = 64;
    private static final int SUB = 32;
    private static final int BUCKETS = LINEAR + 40 * SUB;
    private final AtomicLongArray counts = new AtomicLongArray(BUCKETS);

    static int index(long micros) {
        if (micros < LINEAR) {
            return (int) Math.max(0, micros);
        }
        int msb = 63 - Long.numberOfLeadingZeros(micros);
        int shift = msb - 5;
        int sub = (int) (micros >>> shift) - SUB;
        return Math.min(BUCKETS - 1, LINEAR + (shift - 1) * SUB + sub);
    }

    static long lowerBound(int index) {
        if (index < LINEAR) {
            return index;
        }
        int shift = (index - LINEAR) / SUB + 1;
        int sub = (index - LINEAR) % SUB + SUB;
        return (long) sub << shift;
    }

    public void record(long micros) {
        counts.incrementAndGet(index(micros));
    }

    public void record(long micros, int times) {
        counts.addAndGet(index(micros), times);
    }

    public long count() {
        long n = 0;
        for (int i = 0; i < BUCKETS; i++) {
            n += counts.get(i);
        }
        return n;
    }

    /** The value at quantile {@code q} (0..1) in microseconds, or 0 when empty. */
    public long percentileMicros(double q) {
        long[] c = new long[BUCKETS];
        addTo(c);
        return percentileMicros(c, q);
    }

    /** Adds this histogram's counts to {@code acc} (of {@link #BUCKETS} entries), to merge several. */
    void addTo(long[] acc) {
        for (int i = 0; i < BUCKETS; i++) {
            acc[i] += counts.get(i);
        }
    }

    static long[] emptyCounts() {
        return new long[BUCKETS];
    }

    static long percentileMicros(long[] c, double q) {
        long total = 0;
        for (long n : c) {
            total += n;
        }
        if (total == 0) {
            return 0;
        }
        long rank = (long) Math.ceil(q * total);
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            seen += c[i];
            if (seen >= Math.max(1, rank)) {
                return lowerBound(i);
            }
        }
        return lowerBound(BUCKETS - 1);
    }

    public void reset() {
        for (int i = 0; i < BUCKETS; i++) {
            counts.set(i, 0);
        }
    }
}
