package org.lvsha.health.event;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import org.lvsha.core.metrics.LatencyHistogram;
import org.lvsha.health.check.FailureReason;

/** Counters of the checkers: probes run, failures per reason, probe latency. Updated from any event loop. */
public final class CheckCounters {
    private final LongAdder run = new LongAdder();
    private final EnumMap<FailureReason, LongAdder> failed = new EnumMap<>(FailureReason.class);
    private final LatencyHistogram latency = new LatencyHistogram();

    public CheckCounters() {
        for (FailureReason r : FailureReason.values()) {
            failed.put(r, new LongAdder());
        }
    }

    public void recordRun(long latencyNanos) {
        run.increment();
        latency.recordNanos(latencyNanos);
    }

    public void recordFailure(FailureReason reason) {
        failed.get(reason).increment();
    }

    public long checksRun() {
        return run.sum();
    }

    public long failures(FailureReason reason) {
        return failed.get(reason).sum();
    }

    /** Non-zero failure counts by reason. */
    public Map<FailureReason, Long> failuresByReason() {
        EnumMap<FailureReason, Long> m = new EnumMap<>(FailureReason.class);
        failed.forEach((r, a) -> {
            long v = a.sum();
            if (v > 0) {
                m.put(r, v);
            }
        });
        return m;
    }

    public LatencyHistogram latency() {
        return latency;
    }
}
