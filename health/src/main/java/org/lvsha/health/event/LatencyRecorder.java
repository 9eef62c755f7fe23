package org.lvsha.health.event;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A lock-free log-linear histogram of durations in microseconds (32 sub-buckets per power of two, so a
 * percentile is reported within about 3 %, and never above the largest value recorded), up to about 2^40 us.
 * Safe to record from several event loops.
 */
public final class LatencyRecorder {
    private static final int SUB_BITS = 5;
    private static final int SUB = 1 << SUB_BITS;
    private static final int LINEAR = 2 * SUB;
    private static final int BUCKETS = LINEAR + (41 - SUB_BITS - 1) * SUB;
    private final AtomicLongArray counts = new AtomicLongArray(BUCKETS);
    private final java.util.concurrent.atomic.AtomicLong max = new java.util.concurrent.atomic.AtomicLong();

    public void recordNanos(long nanos) {
        recordMicros(Math.max(0, nanos / 1000));
    }

    public void recordMicros(long us) {
        counts.incrementAndGet(index(us));
        max.accumulateAndGet(us, Math::max);
    }

    static int index(long us) {
        if (us < LINEAR) {
            return (int) us;
        }
        int exp = 63 - Long.numberOfLeadingZeros(us);
        int sub = (int) (us >>> (exp - SUB_BITS)) & (SUB - 1);
        int i = LINEAR + (exp - SUB_BITS - 1) * SUB + sub;
        return Math.min(i, BUCKETS - 1);
    }

    /** The largest value that falls in bucket {@code i}. */
    static long upperBound(int i) {
        if (i < LINEAR) {
            return i;
        }
        int exp = (i - LINEAR) / SUB + SUB_BITS + 1;
        int sub = (i - LINEAR) % SUB;
        return ((long) (SUB + sub + 1) << (exp - SUB_BITS)) - 1;
    }

    /** A copy of the counts so far (to report an interval as the difference of two copies). */
    public LatencyRecorder copy() {
        LatencyRecorder c = new LatencyRecorder();
        for (int i = 0; i < BUCKETS; i++) {
            c.counts.set(i, counts.get(i));
        }
        c.max.set(max.get());
        return c;
    }

    /** The recordings made since {@code earlier}, a {@link #copy()} of this recorder. */
    public LatencyRecorder since(LatencyRecorder earlier) {
        LatencyRecorder d = new LatencyRecorder();
        for (int i = 0; i < BUCKETS; i++) {
            d.counts.set(i, counts.get(i) - earlier.counts.get(i));
        }
        d.max.set(max.get()); // the overall maximum: an upper bound for the interval's
        return d;
    }

    public long count() {
        long n = 0;
        for (int i = 0; i < BUCKETS; i++) {
            n += counts.get(i);
        }
        return n;
    }

    /** The value in microseconds below which {@code q} (0..1) of the recordings lie; 0 when empty. */
    public long percentileMicros(double q) {
        long total = count();
        if (total == 0) {
            return 0;
        }
        long rank = (long) Math.ceil(q * total);
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            seen += counts.get(i);
            if (seen >= Math.max(1, rank)) {
                return Math.min(upperBound(i), max.get());
            }
        }
        return max.get();
    }
}
