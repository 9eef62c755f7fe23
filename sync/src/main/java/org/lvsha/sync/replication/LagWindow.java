package org.lvsha.sync.replication;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.lvsha.core.metrics.LatencyHistogram;

/**
 * Replication lag over the last couple of seconds only: a ring of {@value #SLOTS} slots of
 * {@value #SLOT_MILLIS} ms, each a {@link LatencyHistogram} and a maximum. A slot is reused (reset)
 * when time comes round to it again, so what a reader sees is the last 1.75–2 s.
 *
 * <p>Why: the cumulative histogram since start keeps a startup or catch-up backlog forever, while
 * "how far behind is the backup right now" is what matters at the moment of a failover.
 *
 * <p>Recording is a histogram increment and a max update on the current slot; the clock is read and
 * the slot looked up once per batch ({@link #current()}).
 */
final class LagWindow {
    static final int SLOTS = 8;
    static final long SLOT_MILLIS = 250;
    private static final long SLOT_NANOS = SLOT_MILLIS * 1_000_000L;

    /** One slot: its epoch (time / slot length), its histogram and maximum. */
    static final class Slot {
        volatile long epoch = Long.MIN_VALUE;
        final LatencyHistogram histogram = new LatencyHistogram();
        final AtomicLong max = new AtomicLong();

        void record(long micros) {
            histogram.record(micros);
            atLeast(micros);
        }

        /** Raises the slot's maximum to {@code micros} (callers may fold a whole batch's maximum into one call). */
        void atLeast(long micros) {
            long m = max.get();
            while (micros > m && !max.compareAndSet(m, micros)) {
                m = max.get();
            }
        }
    }

    private final LongSupplier nanoClock;
    private final Slot[] slots = new Slot[SLOTS];

    LagWindow(LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
        for (int i = 0; i < SLOTS; i++) {
            slots[i] = new Slot();
        }
    }

    /** The slot for now, reset first if it still holds an older epoch. */
    Slot current() {
        long epoch = Math.floorDiv(nanoClock.getAsLong(), SLOT_NANOS);
        Slot s = slots[(int) Math.floorMod(epoch, (long) SLOTS)];
        if (s.epoch != epoch) {
            synchronized (s) {
                if (s.epoch != epoch) {
                    // a record racing with this reset may land in either epoch: one sample, no harm
                    s.histogram.reset();
                    s.max.set(0);
                    s.epoch = epoch;
                }
            }
        }
        return s;
    }

    void record(long micros) {
        current().record(micros);
    }

    /** Slots whose epoch lies inside the window ending now. */
    private boolean live(Slot s, long nowEpoch) {
        long e = s.epoch;
        return e != Long.MIN_VALUE && e <= nowEpoch && e > nowEpoch - SLOTS;
    }

    long maxMicros() {
        long now = Math.floorDiv(nanoClock.getAsLong(), SLOT_NANOS);
        long m = 0;
        for (Slot s : slots) {
            if (live(s, now)) {
                m = Math.max(m, s.max.get());
            }
        }
        return m;
    }

    long percentileMicros(double q) {
        long now = Math.floorDiv(nanoClock.getAsLong(), SLOT_NANOS);
        long[] acc = LatencyHistogram.emptyCounts();
        for (Slot s : slots) {
            if (live(s, now)) {
                s.histogram.addTo(acc);
            }
        }
        // the bucket's upper bound, but never above the largest lag the window saw
        return Math.min(LatencyHistogram.percentileMicros(acc, q), maxMicros());
    }

    long count() {
        long now = Math.floorDiv(nanoClock.getAsLong(), SLOT_NANOS);
        long n = 0;
        for (Slot s : slots) {
            if (live(s, now)) {
                n += s.histogram.count();
            }
        }
        return n;
    }
}
