package org.lvsha.sync.replication;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import org.lvsha.core.metrics.LatencyHistogram;

/**
 * Counters of one replicator, readable at any time (for the admin API and Prometheus): events
 * published/sent/applied, batches and bytes each way, rejections per reason, state transfers, and the
 * replication lag (event time on the sender → applied here), in microseconds.
 */
public final class SyncMetrics {
    final LongAdder eventsPublished = new LongAdder();
    final LongAdder eventsSent = new LongAdder();
    final LongAdder batchesSent = new LongAdder();
    final LongAdder bytesSent = new LongAdder();
    final LongAdder sendFailures = new LongAdder();
    final LongAdder batchesDropped = new LongAdder();
    final LongAdder eventsDropped = new LongAdder();
    final LongAdder batchesReceived = new LongAdder();
    final LongAdder bytesReceived = new LongAdder();
    final LongAdder eventsApplied = new LongAdder();
    final LongAdder stateTransfersServed = new LongAdder();
    final LongAdder stateEntriesReceived = new LongAdder();
    final LongAdder entriesRepublished = new LongAdder();
    volatile long lastStateTransferMillis = -1;
    private final EnumMap<SyncRejection, LongAdder> rejections = new EnumMap<>(SyncRejection.class);
    private final LatencyHistogram lag = new LatencyHistogram();
    private final LagWindow recentLag;

    SyncMetrics() {
        this(System::nanoTime);
    }

    /** With the monotonic clock that places lag samples in the recent window (tests inject one). */
    SyncMetrics(LongSupplier nanoClock) {
        this.recentLag = new LagWindow(nanoClock);
        for (SyncRejection r : SyncRejection.values()) {
            rejections.put(r, new LongAdder());
        }
    }

    void reject(SyncRejection reason) {
        rejections.get(reason).increment();
    }

    void reject(SyncRejection reason, long n) {
        rejections.get(reason).add(n);
    }

    public long eventsPublished() {
        return eventsPublished.sum();
    }

    public long eventsSent() {
        return eventsSent.sum();
    }

    public long batchesSent() {
        return batchesSent.sum();
    }

    public long bytesSent() {
        return bytesSent.sum();
    }

    public long sendFailures() {
        return sendFailures.sum();
    }

    /** Batches dropped because the send queue was full (a peer not taking messages) or the sender had stopped. */
    public long batchesDropped() {
        return batchesDropped.sum();
    }

    /** Events in the {@link #batchesDropped() dropped batches}: the peers never got them. */
    public long eventsDropped() {
        return eventsDropped.sum();
    }

    public long batchesReceived() {
        return batchesReceived.sum();
    }

    public long bytesReceived() {
        return bytesReceived.sum();
    }

    public long eventsApplied() {
        return eventsApplied.sum();
    }

    public long stateTransfersServed() {
        return stateTransfersServed.sum();
    }

    public long stateEntriesReceived() {
        return stateEntriesReceived.sum();
    }

    /** Entries re-sent to the group after partitions merged. */
    public long entriesRepublished() {
        return entriesRepublished.sum();
    }

    /** Duration of the last state transfer received, in ms (-1 when none). */
    public long lastStateTransferMillis() {
        return lastStateTransferMillis;
    }

    public long rejected(SyncRejection reason) {
        return rejections.get(reason).sum();
    }

    public Map<SyncRejection, Long> rejections() {
        Map<SyncRejection, Long> m = new EnumMap<>(SyncRejection.class);
        rejections.forEach((k, v) -> m.put(k, v.sum()));
        return m;
    }

    /** Replication lag (sender's event time → applied on this node) in microseconds, cumulative since start. */
    public LatencyHistogram lag() {
        return lag;
    }

    /** The window that {@link #recentLagMaxMicros()} and {@link #recentLagP99Micros()} cover (the last 1.75–2 s). */
    public static Duration recentLagWindow() {
        return Duration.ofMillis(LagWindow.SLOTS * LagWindow.SLOT_MILLIS);
    }

    /** Largest lag of the events applied in the {@link #recentLagWindow() recent window}, in µs; 0 when none arrived. */
    public long recentLagMaxMicros() {
        return recentLag.maxMicros();
    }

    /** 99th percentile lag of the events applied in the recent window, in µs (≤ 3 % error); 0 when none arrived. */
    public long recentLagP99Micros() {
        return recentLag.percentileMicros(0.99);
    }

    /** Quantile {@code q} (0..1) of the lag in the recent window, in µs. */
    public long recentLagPercentileMicros(double q) {
        return recentLag.percentileMicros(q);
    }

    /** Events applied in the recent window (0: nothing to replicate lately, so no lag to speak of). */
    public long recentLagCount() {
        return recentLag.count();
    }

    /** The recent window's slot for now: look it up once per batch, then {@link #recordLag record} each event. */
    LagWindow.Slot lagSlot() {
        return recentLag.current();
    }

    void recordLag(LagWindow.Slot slot, long micros) {
        lag.record(micros);
        slot.record(micros);
    }

    /** {@link #recordLag} for {@code times} events of one histogram bucket; the caller records the batch's maximum with {@link LagWindow.Slot#atLeast}. */
    void recordLagSamples(LagWindow.Slot slot, long micros, int times) {
        lag.record(micros, times);
        slot.histogram.record(micros, times);
    }

    @Override
    public String toString() {
        return "published=" + eventsPublished() + " sent=" + eventsSent() + " batchesSent=" + batchesSent()
                + " bytesSent=" + bytesSent() + " dropped=" + eventsDropped() + " received=" + batchesReceived() + " applied=" + eventsApplied()
                + " lagP50us=" + lag.percentileMicros(0.5) + " lagP99us=" + lag.percentileMicros(0.99)
                + " recentLagP99us=" + recentLagP99Micros() + " recentLagMaxUs=" + recentLagMaxMicros()
                + " rejected=" + rejections();
    }
}
