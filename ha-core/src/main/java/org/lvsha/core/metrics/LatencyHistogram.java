package org.lvsha.core.metrics;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A lock-free log-linear histogram of durations in microseconds: exact below 64 µs, then 32 sub-buckets per
 * power of two (a percentile within about 3 %), up to about 2^46 µs. Recording is one atomic add and a maximum
 * update, safe from several threads (event loops, receive threads).
 *
 * <p>A percentile is reported as the upper bound of its bucket, never above the largest value recorded: a
 * latency figure may be a little pessimistic, never optimistic. Used for health-check probe times and detection
 * latency, and for replication lag.
 */
public final class LatencyHistogram {
    private static final int SUB_BITS = 5;
    private static final int SUB = 1 << SUB_BITS;
    private static final int LINEAR = 2 * SUB;
    /** Buckets in all: the linear part, then 40 powers of two of {@link #SUB} each. */
    public static final int BUCKETS = LINEAR + 40 * SUB;

    private final AtomicLongArray counts = new AtomicLongArray(BUCKETS);
    private final AtomicLong max = new AtomicLong();

    /** The bucket of {@code micros} (negative values count as 0; the last bucket takes everything beyond). */
    public static int index(long micros) {
        if (micros < LINEAR) {
            return (int) Math.max(0, micros);
        }
        int exp = 63 - Long.numberOfLeadingZeros(micros);
        int sub = (int) (micros >>> (exp - SUB_BITS)) & (SUB - 1);
        return Math.min(BUCKETS - 1, LINEAR + (exp - SUB_BITS - 1) * SUB + sub);
    }

    /** The smallest value that falls in bucket {@code i}. */
    public static long lowerBound(int i) {
        if (i < LINEAR) {
            return i;
        }
        int exp = (i - LINEAR) / SUB + SUB_BITS + 1;
        int sub = (i - LINEAR) % SUB;
        return (long) (SUB + sub) << (exp - SUB_BITS);
    }

    /** The largest value that falls in bucket {@code i}. */
    public static long upperBound(int i) {
        return i < LINEAR ? i : lowerBound(i) + (1L << ((i - LINEAR) / SUB + 1)) - 1;
    }

    public void record(long micros) {
        counts.incrementAndGet(index(micros));
        atLeast(micros);
    }

    /** {@code times} recordings of values in the bucket of {@code micros} (callers that batch equal buckets). */
    public void record(long micros, int times) {
        counts.addAndGet(index(micros), times);
        atLeast(micros);
    }

    public void recordNanos(long nanos) {
        record(Math.max(0, nanos / 1000));
    }

    private void atLeast(long micros) {
        long m = max.get();
        while (micros > m && !max.compareAndSet(m, micros)) {
            m = max.get();
        }
    }

    /** The largest value recorded (since the last {@link #reset}); 0 when empty. */
    public long maxMicros() {
        return max.get();
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
        long[] c = emptyCounts();
        addTo(c);
        return Math.min(percentileMicros(c, q), max.get());
    }

    /** A copy of the counts so far (to report an interval as the difference of two copies). */
    public LatencyHistogram copy() {
        LatencyHistogram c = new LatencyHistogram();
        for (int i = 0; i < BUCKETS; i++) {
            c.counts.set(i, counts.get(i));
        }
        c.max.set(max.get());
        return c;
    }

    /** The recordings made since {@code earlier}, a {@link #copy()} of this histogram. */
    public LatencyHistogram since(LatencyHistogram earlier) {
        LatencyHistogram d = new LatencyHistogram();
        for (int i = 0; i < BUCKETS; i++) {
            d.counts.set(i, counts.get(i) - earlier.counts.get(i));
        }
        d.max.set(max.get()); // the overall maximum: an upper bound for the interval's
        return d;
    }

    public void reset() {
        for (int i = 0; i < BUCKETS; i++) {
            counts.set(i, 0);
        }
        max.set(0);
    }

    /** Adds this histogram's counts to {@code acc} (of {@link #BUCKETS} entries), to merge several. */
    public void addTo(long[] acc) {
        for (int i = 0; i < BUCKETS; i++) {
            acc[i] += counts.get(i);
        }
    }

    public static long[] emptyCounts() {
        return new long[BUCKETS];
    }

    /** The percentile {@code q} of merged counts ({@link #addTo}): the upper bound of its bucket; 0 when empty. */
    public static long percentileMicros(long[] counts, double q) {
        long total = 0;
        for (long n : counts) {
            total += n;
        }
        if (total == 0) {
            return 0;
        }
        long rank = Math.max(1, (long) Math.ceil(q * total));
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            seen += counts[i];
            if (seen >= rank) {
                return upperBound(i);
            }
        }
        return upperBound(BUCKETS - 1);
    }
}
