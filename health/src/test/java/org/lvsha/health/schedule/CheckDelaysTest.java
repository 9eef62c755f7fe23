package org.lvsha.health.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.lvsha.health.config.CheckTiming;

class CheckDelaysTest {
    private static final long MS = 1_000_000L;
    private static final CheckTiming T = new CheckTiming(Duration.ofSeconds(1), Duration.ofMillis(500), 2, 3,
            Duration.ofMillis(200), Duration.ofMillis(50));

    @ParameterizedTest(name = "disagreed={0} random={1}: {2} ms")
    @CsvSource({
            "false,0.5,1000",
            "false,0.0,950",
            "false,0.999999,1050",
            "true,0.5,200",
            "true,0.0,150",
            "true,0.999999,250"})
    void retryDelayFollowsADisagreeingResultAndJitterSpreadsEitherWay(boolean disagreed, double random, long ms) {
        assertThat(Math.round(CheckDelays.nextDelayNanos(T, disagreed, random) / (double) MS)).isEqualTo(ms);
    }

    @Test
    void theFirstProbeStartsAnywhereInTheFirstInterval() {
        assertThat(CheckDelays.initialOffsetNanos(T, 0.0)).isZero();
        assertThat(CheckDelays.initialOffsetNanos(T, 0.5)).isEqualTo(500 * MS);
        assertThat(CheckDelays.initialOffsetNanos(T, 0.999)).isLessThan(1000 * MS);
    }

    @Test
    void aRetryDelayLongerThanTheIntervalIsCappedSoDetectionStaysBounded() {
        CheckTiming slowRetry = new CheckTiming(Duration.ofSeconds(1), Duration.ofMillis(500), 2, 3, Duration.ofSeconds(5), Duration.ZERO);
        assertThat(CheckDelays.nextDelayNanos(slowRetry, true, 0.5)).isEqualTo(1000 * MS);
    }

    @Test
    void jitterLargerThanTheDelayNeverGivesADelayBelowOneMillisecond() {
        CheckTiming wild = new CheckTiming(Duration.ofMillis(10), Duration.ofMillis(5), 1, 1, Duration.ofMillis(10), Duration.ofSeconds(1));
        assertThat(CheckDelays.nextDelayNanos(wild, false, 0.0)).isEqualTo(MS);
    }

    @Test
    void theDetectionBoundIsIntervalTimesFallPlusTimeout() {
        assertThat(T.detectionBound()).isEqualTo(Duration.ofMillis(3500));
    }
}
