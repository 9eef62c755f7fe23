package org.lvsha.dist.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lvsha.core.lab.NetnsLab;
import org.lvsha.core.lab.Privileges;
import org.lvsha.dist.Lvsha;
import picocli.CommandLine;

/** {@code lvsha lab ...} as an operator runs it, each command a separate invocation sharing only the state directory. */
@Tag("netns")
class LabCommandTest {
    @TempDir
    Path runDir;
    private final String prefix = NetnsLab.uniquePrefix("lc");

    @BeforeEach
    void setUp() {
        assumeTrue(Privileges.netnsAvailable(), () -> "skipped: " + Privileges.netnsUnavailableReason().orElse(""));
        System.setProperty(LabRunDirectory.DIR_PROPERTY, runDir.toString());
    }

    @AfterEach
    void tearDown() {
        try {
            LabTeardown.down(prefix, java.util.List.of());
        } finally {
            System.clearProperty(LabRunDirectory.DIR_PROPERTY);
        }
    }

    private record Run(int code, String out, String err) {
    }

    private static Run lvsha(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = new CommandLine(new Lvsha()).setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true)).execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void upStatusProbeDownWorkAcrossInvocationsAndDownLeavesNothing() {
        Run up = lvsha("lab", "up", "--layout", "nat", "--real-servers", "2", "--prefix", prefix);
        assertThat(up.code()).as(up.err()).isZero();
        assertThat(up.out()).contains("lab " + prefix + " up: nat, 2 real servers").contains(prefix + "-rs2");
        assertThat(runDir.resolve("lab-" + prefix + ".json")).exists();
        assertThat(new LabRunDirectory(runDir).current()).hasValue(prefix);

        Run again = lvsha("lab", "up", "--prefix", prefix);
        assertThat(again.code()).isEqualTo(1);
        assertThat(again.err()).contains("already exists");

        Run status = lvsha("lab", "status");
        assertThat(status.code()).as(status.out() + status.err()).isZero();
        assertThat(status.out()).contains(prefix + "-dir1:").contains("192.0.2.12/24").contains("rs1 pid").contains("alive");

        Run probe = lvsha("lab", "probe", "--timeout-ms", "10000"); // a first request to a cold real server under load
        assertThat(probe.code()).as(probe.out() + probe.err()).isZero();
        assertThat(probe.out()).containsPattern("rs1 192\\.0\\.2\\.11:80 -> rs1 \\(\\d+ ms\\)")
                .containsPattern("rs2 192\\.0\\.2\\.12:80 -> rs2 \\(\\d+ ms\\)");

        Run down = lvsha("lab", "down");
        assertThat(down.code()).as(down.err()).isZero();
        assertThat(Files.exists(runDir.resolve("lab-" + prefix + ".json"))).isFalse();
        assertThat(new LabRunDirectory(runDir).current()).isEmpty();
        RunningLabTest.assertNothingLeft(prefix);

        assertThat(lvsha("lab", "down").code()).as("down with nothing up succeeds").isZero();
        assertThat(lvsha("lab", "status").code()).isEqualTo(1);
    }

    @Test
    void probeFailsWhenARealServerIsGone() {
        Run up = lvsha("lab", "up", "--layout", "dr", "--real-servers", "1", "--prefix", prefix);
        assertThat(up.code()).as(up.err()).isZero();
        LabState state = new LabRunDirectory(runDir).load(prefix).orElseThrow();
        LabProcesses.kill(java.util.List.of(state.processes().get(0).pid()), prefix);

        Run probe = lvsha("lab", "probe", "--timeout-ms", "1000");
        assertThat(probe.code()).isEqualTo(1);
        assertThat(probe.out()).contains("rs1 192.0.2.11:80 -> FAILED");
        Run status = lvsha("lab", "status");
        assertThat(status.code()).isEqualTo(1);
        assertThat(status.out()).contains("DEAD");

        assertThat(lvsha("lab", "down", "--prefix", prefix).code()).isZero();
        RunningLabTest.assertNothingLeft(prefix);
    }
}
