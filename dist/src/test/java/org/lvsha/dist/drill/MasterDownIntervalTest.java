package org.lvsha.dist.drill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MasterDownIntervalTest {
    /** RFC 5798 §6.1 worked through: skew = (256 - priority) * advert / 256, interval = 3 * advert + skew. */
    @ParameterizedTest(name = "advert {0} ms, priority {1}: skew {2} us, interval {3} us")
    @CsvSource({
            "1000, 100, 609375,  3609375",
            "100,  100, 60937,   360937",
            "100,  254, 781,     300781",
            "10,   200, 2187,    32187",
            "1000, 1,   996093,  3996093",
    })
    void followsRfc5798Section61(long advertMs, int priority, long skewMicros, long intervalMicros) {
        MasterDownInterval m = new MasterDownInterval(Duration.ofMillis(advertMs), priority);
        assertThat(m.skewTime().toNanos() / 1000).isEqualTo(skewMicros);
        assertThat(m.interval().toNanos() / 1000).isEqualTo(intervalMicros);
    }

    @Test
    void describesItselfForTheReportAndBecomesACrashExpectation() {
        MasterDownInterval m = new MasterDownInterval(Duration.ofMillis(100), 100);
        assertThat(m.describe()).isEqualTo("master-down interval (3 x 100 ms + skew 60.9 ms, priority 100)");
        Expectation e = m.expectation(Duration.ofMillis(5));
        assertThat(e.bound()).isEqualTo(m.interval());
        assertThat(e.longLivedMustSurvive()).isTrue();
        assertThatThrownBy(() -> new MasterDownInterval(Duration.ofMillis(100), 255)).hasMessageContaining("1..254");
    }

    @Test
    void aSyncGroupLosingOneLinkIsBoundedByOneAndAHalfIntervalsOrTheLinkPollPlusSkew() {
        MasterDownInterval m = new MasterDownInterval(Duration.ofMillis(100), 100);
        assertThat(m.syncGroupTakeover(Duration.ofMillis(100))).isEqualTo(Duration.ofMillis(150).plus(m.skewTime()));
        assertThat(m.syncGroupTakeover(Duration.ofMillis(400))).isEqualTo(Duration.ofMillis(400).plus(m.skewTime()));
        assertThat(m.syncGroupTakeover(Duration.ofMillis(100))).isLessThan(m.interval());
        assertThat(m.describeSyncGroupTakeover(Duration.ofMillis(100)))
                .isEqualTo("sync-group takeover (max(1.5 x 100 ms, link poll 100 ms) + skew 60.9 ms, priority 100)");
    }
}
