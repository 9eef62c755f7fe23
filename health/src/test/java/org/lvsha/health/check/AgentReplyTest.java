package org.lvsha.health.check;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AgentReplyTest {
    @ParameterizedTest(name = "''{0}'' -> {1} weight {2} admin {3}")
    @CsvSource(delimiter = '|', value = {
            "50%            | UP   | 50   | ",
            "up             | UP   |      | READY",
            "ready          | UP   |      | READY",
            "down           | DOWN |      | ",
            "stopped        | DOWN |      | ",
            "drain          | UP   |      | DRAIN",
            "maint          | UP   |      | MAINT",
            "up, 75%        | UP   | 75   | READY",
            "drain 0%       | UP   | 0    | DRAIN",
            "DOWN,MAINT     | DOWN |      | MAINT",
            "150%           | UP   | 150  | ",
            "hello          | UP   |      | ",
            "up # all good  | UP   |      | READY",
            "x%             | UP   |      | "})
    void wordsAreReadAsHaproxyAgentsWriteThem(String line, String verdict, Integer pct, AgentAdmin admin) {
        CheckResult r = AgentReply.parse(line);
        assertThat(r.verdict().name()).isEqualTo(verdict);
        assertThat(r.weight()).isEqualTo(pct == null ? null : DynamicWeight.percentOf(pct));
        assertThat(r.admin()).isEqualTo(admin);
    }
}
