package org.lvsha.dist.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class StatusTextTest {
    static final String STATUS = """
            {"node":"dir2","pid":42,"backend":"userspace","parts_failure":null,
             "instances":{"vip":{"state":"BACKUP","vrid":51,"priority":100,"master":"203.0.113.2","master_priority":150,
                "last_transition":{"from":"INITIALIZE","to":"BACKUP","reason":"STARTUP","at":"2026-11-21T10:00:00Z"}}},
             "table":[{"service":"tcp:203.0.113.100:80","real_servers":[{"server":"192.0.2.11:80","method":"Route","weight":3,
                "health":"HEALTHY","active_connections":2}]}],
             "sync":{"enabled":true,"channel":"lvsha-sync/lab/51","state_transfer":"done","members":["a","b"],
                "replicated_connections":7,"lag_p99_us":900},
             "dataplane":{"forwarded":12,"bad_short":0}}
            """;

    @Test
    void humanViewHasOneLinePerInstanceAndRealServerThenSyncAndDataPlane() throws Exception {
        String text = StatusCommand.StatusText.render(new ObjectMapper().readTree(STATUS));
        assertThat(text).contains("director dir2  backend userspace  pid 42")
                .containsPattern("vip +51 +BACKUP +100 +203\\.0\\.113\\.2 +INITIALIZE -> BACKUP \\(STARTUP\\)")
                .containsPattern("tcp:203\\.0\\.113\\.100:80 +192\\.0\\.2\\.11:80 +Route +3 +HEALTHY +2")
                .contains("sync lvsha-sync/lab/51: done, 2 member(s), 7 connection(s), lag p99 900 us")
                .contains("data plane: forwarded=12").doesNotContain("bad_short");
    }

    @Test
    void aFailedPartIsShownOnTheFirstLine() throws Exception {
        String text = StatusCommand.StatusText.render(new ObjectMapper().readTree(STATUS.replace("\"parts_failure\":null",
                "\"parts_failure\":\"userspace data plane stopped\"")));
        assertThat(text.lines().findFirst().orElseThrow()).endsWith("PART FAILED: userspace data plane stopped");
    }
}
