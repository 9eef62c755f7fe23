package org.lvsha.sync.replication;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The recent-lag figures forget what is older than the window, unlike the cumulative histogram. */
class RecentLagTest {
    final AtomicLong nanos = new AtomicLong(5_000_000_000L);
    final SyncMetrics metrics = new SyncMetrics(nanos::get);

    void record(long micros, int times) {
        LagWindow.Slot s = metrics.lagSlot();
        for (int i = 0; i < times; i++) {
            metrics.recordLag(s, micros);
        }
    }

    void advanceMillis(long ms) {
        nanos.addAndGet(ms * 1_000_000L);
    }

    @Test
    void aStartupBacklogLeavesTheRecentFiguresOnceTheWindowHasPassed() {
        record(3_000_000, 10_000); // a 3 s backlog at startup
        assertThat(metrics.recentLagMaxMicros()).isEqualTo(3_000_000);
        assertThat(metrics.recentLagP99Micros()).isBetween(2_900_000L, 3_000_000L);

        advanceMillis(2_000);
        for (int ms = 0; ms < 1000; ms += 10) {
            record(800, 10);
            advanceMillis(10);
        }
        assertThat(metrics.recentLagMaxMicros()).isEqualTo(800);
        assertThat(metrics.recentLagP99Micros()).isBetween(780L, 800L);
        assertThat(metrics.recentLagCount()).isEqualTo(1000);
        // the cumulative histogram still carries the backlog
        assertThat(metrics.lag().percentileMicros(0.99)).isGreaterThan(2_000_000L);
    }

    @Test
    void theWindowCoversTheLastOneAndThreeQuarterToTwoSeconds() {
        record(5_000, 1);
        advanceMillis(1_700);
        assertThat(metrics.recentLagMaxMicros()).as("1.7 s later: still inside").isEqualTo(5_000);
        advanceMillis(300);
        assertThat(metrics.recentLagMaxMicros()).as("2.0 s later: outside").isZero();
        assertThat(metrics.recentLagP99Micros()).isZero();
        assertThat(metrics.recentLagCount()).isZero();
        assertThat(SyncMetrics.recentLagWindow().toMillis()).isEqualTo(2000);
    }

    @Test
    void aSlotReusedAfterAFullTurnStartsEmpty() {
        record(9_000, 5);
        advanceMillis(8 * 250); // same slot index, next turn of the ring
        record(100, 1);
        assertThat(metrics.recentLagMaxMicros()).isEqualTo(100);
        assertThat(metrics.recentLagCount()).isEqualTo(1);
        assertThat(metrics.recentLagPercentileMicros(1.0)).isEqualTo(100);
    }

    @Test
    void p99IsTheTailOfTheWindowNotTheMax() {
        for (int i = 1; i <= 1000; i++) {
            record(i * 10L, 1);
        }
        advanceMillis(300);
        record(1_000_000, 1); // one outlier
        assertThat(metrics.recentLagMaxMicros()).isEqualTo(1_000_000);
        assertThat(metrics.recentLagP99Micros()).isBetween(9_600L, 10_000L);
    }
}
