package org.lvsha.dist.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lvsha.dist.Lvsha;

class RunCommandTest {
    @TempDir
    Path dir;

    int run(ByteArrayOutputStream err, String... args) {
        PrintStream old = System.err;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            return Lvsha.commandLine().execute(args);
        } finally {
            System.setErr(old);
        }
    }

    @Test
    void anInvalidFileIsRefusedWithEveryProblemAndExitStatusTwoBeforeAnythingStarts() throws Exception {
        Path f = dir.resolve("bad.yaml");
        Files.writeString(f, "node: dir1\nvrrp:\n  instances: []\nipvs:\n  backend: fpga\n");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertThat(run(err, "run", "--config", f.toString(), "--run-dir", dir.resolve("run").toString())).isEqualTo(2);
        String text = err.toString(StandardCharsets.UTF_8);
        assertThat(text).contains(f + ":5:12: backend 'fpga'").contains("'instances' must be a non-empty list")
                .contains("nothing started");
        assertThat(dir.resolve("run")).doesNotExist();
    }

    @Test
    void checkValidatesTheSamples() {
        for (String s : new String[] {"lvsha-dr-pair.yaml", "lvsha-nat-pair.yaml"}) {
            assertThat(Lvsha.commandLine().execute("run", "--check", "--config", "src/main/dist/conf/" + s)).isZero();
        }
    }

    @Test
    void statusWithoutARunningDaemonSaysWhereItLooked() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertThat(run(err, "status", "--admin", "127.0.0.1:1")).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("admin endpoint http://127.0.0.1:1 unreachable");
    }

    @Test
    void everyDaemonCommandIsRegistered() {
        assertThat(Lvsha.commandLine().getSubcommands()).containsKeys("run", "status", "failover", "reload");
        assertThat(Lvsha.commandLine().getSubcommands().get("bench").getSubcommands()).containsKeys("vrrp", "dataplane");
    }
}
