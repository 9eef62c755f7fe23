package org.lvsha.health.event;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LatencyRecorderTest {
    @Test
    void percentilesAreWithinOneBucketOfTheTruth() {
        LatencyRecorder r = new LatencyRecorder();
        for (int us = 1; us <= 10_000; us++) {
            r.recordMicros(us);
        }
        assertThat(r.count()).isEqualTo(10_000);
        assertThat(r.percentileMicros(0.5)).isBetween(5_000L, 5_000L * 9 / 8 + 1);
        assertThat(r.percentileMicros(0.99)).isBetween(9_900L, 9_900L * 9 / 8 + 1);
    }

    @Test
    void bucketBoundsAreContiguousAndGrowing() {
        for (long us = 0; us < 5_000_000; us += 7) {
            int i = LatencyRecorder.index(us);
            assertThat(LatencyRecorder.upperBound(i)).isGreaterThanOrEqualTo(us);
            if (i > 0) {
                assertThat(LatencyRecorder.upperBound(i - 1)).isLessThan(us);
            }
        }
    }

    @Test
    void anIntervalIsTheDifferenceOfTwoCopies() {
        LatencyRecorder r = new LatencyRecorder();
        r.recordMicros(1_000_000);
        LatencyRecorder before = r.copy();
        r.recordMicros(10);
        r.recordMicros(12);
        LatencyRecorder since = r.since(before);
        assertThat(since.count()).isEqualTo(2);
        assertThat(since.percentileMicros(0.99)).isEqualTo(12);
        assertThat(r.percentileMicros(0.0)).isEqualTo(10);
    }

    @Test
    void emptyGivesZero() {
        assertThat(new LatencyRecorder().percentileMicros(0.99)).isZero();
    }
}
