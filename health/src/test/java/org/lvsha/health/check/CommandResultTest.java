package org.lvsha.health.check;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.lvsha.health.config.CommandCheck.DynamicWeightSource;

class CommandResultTest {
    @ParameterizedTest(name = "exit {0} output ''{1}'' source {2}")
    @CsvSource(delimiter = '|', value = {
            "0   |        | none   | UP   |     |",
            "1   |        | none   | DOWN |     |",
            "2   |        | none   | DOWN |     |",
            "1   |        | exit   | DOWN |     |",
            "2   |        | exit   | UP   | 0   | false",
            "12  |        | exit   | UP   | 10  | false",
            "255 |        | exit   | UP   | 253 | false",
            "0   | 42     | stdout | UP   | 42  | false",
            "0   | 30%    | stdout | UP   | 30  | true",
            "0   | busy   | stdout | UP   |     |",
            "1   | 42     | stdout | DOWN |     |"})
    void exitCodesAndOutputGiveVerdictsAndWeights(int exit, String out, DynamicWeightSource source, String verdict, Integer weight, Boolean percent) {
        CheckResult r = CommandChecker.judge(exit, out == null ? "" : out + "\n", source);
        assertThat(r.verdict().name()).isEqualTo(verdict);
        assertThat(r.weight()).isEqualTo(weight == null ? null : new DynamicWeight(percent, weight));
    }
}
