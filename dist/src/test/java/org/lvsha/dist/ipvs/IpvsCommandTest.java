package org.lvsha.dist.ipvs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import picocli.CommandLine;

/** picocli hands ipvsadm's raw arguments through in order; the memory backend keeps its table in --state. */
class IpvsCommandTest {

    private static String run(String... args) {
        PrintStream saved = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            assertThat(new CommandLine(new IpvsCommand()).execute(args)).isZero();
        } finally {
            System.setOut(saved);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void memoryBackendWithAStateFileActsLikeOneTable(@TempDir Path dir) {
        String state = dir.resolve("table.rules").toString();
        run("--backend", "memory", "--state", state, "-At", "192.0.2.10:80", "-s", "rr", "-p", "-M", "255.255.255.0");
        run("--backend=memory", "--state", state, "-a", "-t", "192.0.2.10:80", "-r", "10.0.0.11:8080", "-m", "-w", "3");
        assertThat(run("--backend", "memory", "--state", state, "-Sn")).isEqualTo(
                "-A -t 192.0.2.10:80 -s rr -p 360 -M 255.255.255.0\n"
                        + "-a -t 192.0.2.10:80 -r 10.0.0.11:8080 -m -w 3\n");
        assertThat(run("--backend", "memory", "--state", state, "-Ln")).contains("  -> 10.0.0.11:8080               Masq    3      0          0         \n");
    }

    @Test
    void kernelBackendWithoutATransportFailsClearly() {
        assertThat(new CommandLine(new IpvsCommand()).execute("-Ln")).isEqualTo(1);
    }
}
