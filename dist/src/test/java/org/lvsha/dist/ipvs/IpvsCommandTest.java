package org.lvsha.dist.ipvs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.lvsha.core.ipvs.kernel.GenlReply;
import org.lvsha.core.ipvs.kernel.GenlTransport;
import org.lvsha.dist.Lvsha;
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
    void kernelBackendWithoutTheIpvsFamilyFailsClearly() {
        GenlTransport noIpvs = new GenlTransport() {
            @Override
            public int resolveFamily(String name) {
                return -2; // nlctrl's ENOENT: ip_vs is not loaded
            }

            @Override
            public GenlReply request(int familyId, int command, int version, int flags, byte[] attributes) {
                throw new AssertionError("no request without a family");
            }
        };
        PrintStream saved = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            assertThat(new CommandLine(new IpvsCommand(() -> noIpvs)).execute("-Ln")).isEqualTo(1);
        } finally {
            System.setErr(saved);
        }
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("Protocol not available").contains("ip_vs module");
    }

    @Test
    void lvshaRegistersIpvs() {
        assertThat(new CommandLine(new Lvsha()).getSubcommands()).containsKey("ipvs");
    }
}
