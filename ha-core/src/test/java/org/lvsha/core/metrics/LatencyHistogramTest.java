package org.lvsha.core.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LatencyHistogramTest {
    @Test
    void percentilesAreAtMostThreePercentAboveTheTruthAndNeverBelow() {
        LatencyHistogram h = new LatencyHistogram();
        for (int us = 1; us <= 10_000; us++) {
            h.record(us);
        }
        assertThat(h.count()).isEqualTo(10_000);
        assertThat(h.percentileMicros(0.5)).isBetween(5_000L, 5_150L);
        assertThat(h.percentileMicros(0.99)).isBetween(9_900L, 10_000L);
        assertThat(h.percentileMicros(1.0)).isEqualTo(10_000L);
        assertThat(h.maxMicros()).isEqualTo(10_000L);
    }

    @Test
    void bucketBoundsAreContiguousAndGrowing() {
        for (long us = 0; us < 50_000_000; us += 7) {
            int i = LatencyHistogram.index(us);
            assertThat(LatencyHistogram.lowerBound(i)).isLessThanOrEqualTo(us);
            assertThat(LatencyHistogram.upperBound(i)).isGreaterThanOrEqualTo(us);
            if (i > 0) {
                assertThat(LatencyHistogram.upperBound(i - 1)).isEqualTo(LatencyHistogram.lowerBound(i) - 1);
            }
        }
        // Every bucket's width is at most 1/32 of its lower bound past the exact part.
        for (int i = 64; i < LatencyHistogram.BUCKETS - 1; i++) {
            long lo = LatencyHistogram.lowerBound(i);
            assertThat(LatencyHistogram.upperBound(i) - lo + 1).isLessThanOrEqualTo(lo / 32);
            assertThat(LatencyHistogram.index(lo)).isEqualTo(i);
            assertThat(LatencyHistogram.index(LatencyHistogram.upperBound(i))).isEqualTo(i);
        }
    }

    @Test
    void negativeAndHugeValuesLandInTheEndBuckets() {
        assertThat(LatencyHistogram.index(-5)).isZero();
        assertThat(LatencyHistogram.index(Long.MAX_VALUE)).isEqualTo(LatencyHistogram.BUCKETS - 1);
    }

    @Test
    void anIntervalIsTheDifferenceOfTwoCopies() {
        LatencyHistogram h = new LatencyHistogram();
        h.record(1_000_000);
        LatencyHistogram before = h.copy();
        h.record(10);
        h.record(12);
        LatencyHistogram since = h.since(before);
        assertThat(since.count()).isEqualTo(2);
        assertThat(since.percentileMicros(0.99)).isEqualTo(12);
        assertThat(h.percentileMicros(0.0)).isEqualTo(10);
    }

    @Test
    void batchedRecordingsAndMergedCountsAgreeWithSingleOnes() {
        LatencyHistogram one = new LatencyHistogram();
        LatencyHistogram batched = new LatencyHistogram();
        for (int i = 0; i < 500; i++) {
            one.record(3_000);
        }
        batched.record(3_000, 500);
        assertThat(batched.count()).isEqualTo(one.count());
        assertThat(batched.percentileMicros(0.5)).isEqualTo(one.percentileMicros(0.5)).isEqualTo(3_000);
        long[] merged = LatencyHistogram.emptyCounts();
        one.addTo(merged);
        batched.addTo(merged);
        assertThat(LatencyHistogram.percentileMicros(merged, 0.99)).isEqualTo(LatencyHistogram.upperBound(LatencyHistogram.index(3_000)));
    }

    @Test
    void emptyGivesZeroAndResetEmpties() {
        LatencyHistogram h = new LatencyHistogram();
        assertThat(h.percentileMicros(0.99)).isZero();
        h.record(77);
        h.reset();
        assertThat(h.count()).isZero();
        assertThat(h.maxMicros()).isZero();
        assertThat(LatencyHistogram.percentileMicros(LatencyHistogram.emptyCounts(), 0.5)).isZero();
    }
}
