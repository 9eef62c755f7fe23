package org.lvsha.dist.drill;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

class DrillResultJsonTest {
    @Test
    void theSummaryIsValidJsonWithTheNumbersOfTheTable() throws Exception {
        DrillResult r = HtmlReportTest.crashDrill();
        JsonNode root = new ObjectMapper().readTree(DrillResultJson.render(List.of(r, r)));
        assertThat(root.get("results")).hasSize(2);
        JsonNode crash = root.get("results").get(0);
        assertThat(crash.get("label").asText()).isEqualTo("crash");
        assertThat(crash.get("gapMs").asDouble()).isEqualTo(300.0);
        assertThat(crash.get("withoutVipMs").asDouble()).isEqualTo(305.0);
        assertThat(crash.get("requests").get("failed").asInt()).isEqualTo(60);
        assertThat(crash.get("requests").get("failuresByOutcome").get("REFUSED").asInt()).isEqualTo(60);
        assertThat(crash.get("longLived").get("broken").asInt()).isEqualTo(1);
        assertThat(crash.get("directors").get("failoverNode").asText()).isEqualTo("dir2");
        assertThat(crash.get("directors").get("failoverMs").asDouble()).isEqualTo(1290.0);
        assertThat(crash.get("directors").get("syncLagAtFailoverMs").asDouble()).isEqualTo(1.5);
        assertThat(crash.get("directors").get("transitions")).hasSize(3);
        assertThat(crash.get("verdict").asText()).isEqualTo("FAIL");
    }

    @Test
    void stringsAreEscaped() {
        assertThat(DrillResultJson.quote("a\"b\\c\nd\u0001")).isEqualTo("\"a\\\"b\\\\c\\nd\\u0001\"");
    }
}
