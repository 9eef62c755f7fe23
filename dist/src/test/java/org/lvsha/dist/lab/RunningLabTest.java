package org.lvsha.dist.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.lvsha.core.lab.NetnsLab;
import org.lvsha.core.lab.Privileges;
import org.lvsha.core.lab.Shell;
import org.lvsha.dist.lab.AddressPlan.Net;

@Tag("netns")
class RunningLabTest {
    /**
     * For everything that must answer (probes, requests, stream lines): a first request to a real server's cold JVM
     * takes a second or more on a loaded machine; a long wait costs nothing when the answer comes. The negative
     * checks (nothing answers) keep their 1 s.
     */
    private static final Duration LINE_WAIT = Duration.ofSeconds(10);

    @BeforeEach
    void needsNetns() {
        assumeTrue(Privileges.netnsAvailable(), () -> "skipped: " + Privileges.netnsUnavailableReason().orElse(""));
    }

    @Test
    void drLabServesEveryRealServerFromDir1AndFromTheClientViaTheRouterThenLeavesNothing() throws Exception {
        String prefix;
        RunningLab lab = RunningLab.start(Lab.dr(2).withIpv6());
        try {
            prefix = lab.prefix();
            LabTopology t = lab.topology();
            // The marker the teardown check relies on does find the running real servers.
            assertThat(Shell.tryRun("pgrep", "-f", "--", LvshaJvm.labMarker(prefix)).stdout().strip().split("\\s+")).hasSize(2);

            LabProbe.Report probe = LabProbe.run(t, LINE_WAIT);
            assertThat(probe.ok()).as(probe.format()).isTrue();
            // rs1, rs2 over IPv4 and IPv6, from dir1 and from the client.
            assertThat(probe.results()).hasSize(8);
            assertThat(probe.results()).filteredOn(r -> r.from().equals("client")).hasSize(4);

            // DR real servers: VIP on lo, ARP kept quiet about it, the plan's MAC; directors without the VIP.
            String rs1 = t.realServer(1);
            assertThat(lab.netns().exec(rs1, "ip", "-br", "addr", "show", "dev", "lo").stdout())
                    .contains(AddressPlan.VIP4 + "/32").contains(AddressPlan.VIP6 + "/128");
            assertThat(lab.netns().exec(rs1, "sysctl", "-n", "net.ipv4.conf.all.arp_ignore",
                    "net.ipv4.conf.eth0.arp_announce", "net.ipv4.conf.all.rp_filter").stdout().split("\\s+"))
                    .containsExactly("1", "2", "0");
            assertThat(lab.netns().exec(rs1, "ip", "-br", "link", "show", "eth0").stdout()).contains(Net.INSIDE.mac(11));
            // The real server listens on the wildcard, so the VIP the directors will send it is served too.
            assertThat(NamespaceHttp.get(rs1, AddressPlan.VIP4, AddressPlan.HTTP_PORT, "/", LINE_WAIT).body())
                    .isEqualTo("rs1\n");
            assertThat(lab.netns().exec(t.director(1), "ip", "-br", "addr").stdout())
                    .doesNotContain(AddressPlan.VIP4).doesNotContain(AddressPlan.DIP4);
            assertThat(lab.netns().exec(t.director(2), "sysctl", "-n", "net.ipv4.ip_forward").stdout().strip()).isEqualTo("1");
            // The VIP6/DIP6 a daemon adds later must be usable at once: no duplicate address detection.
            assertThat(lab.netns().exec(t.director(1), "sysctl", "-n", "net.ipv6.conf.eth0.accept_dad",
                    "net.ipv6.conf.eth1.accept_dad").stdout().split("\\s+")).containsExactly("0", "0");
            assertThat(lab.netns().exec(t.director(1), "ip", "-br", "link", "show", "eth1").stdout())
                    .contains(Net.INSIDE.mac(AddressPlan.DIR1));
            assertThat(lab.netns().exec(t.router(), "ip", "-br", "link", "show", "eth0").stdout())
                    .contains(Net.OUTSIDE.mac(AddressPlan.ROUTER));

            // A stream from the client through the router keeps delivering consecutive lines.
            try (LineClient stream = LineClient.start(t.client(), "curl", "-sN", "--noproxy", "*", "--max-time", "20",
                    "http://" + AddressPlan.rip4(1) + "/stream?interval=50")) {
                for (int n = 0; n < 10; n++) {
                    assertThat(stream.next(LINE_WAIT)).isEqualTo("rs1 " + n);
                }
            }
            // The echo port holds one connection across pauses and names the server every time.
            try (LineClient echo = LineClient.start(t.director(1), "busybox", "nc", AddressPlan.rip4(2),
                    Integer.toString(AddressPlan.STREAM_PORT))) {
                for (int i = 0; i < 3; i++) {
                    echo.send("hello " + i);
                    assertThat(echo.next(LINE_WAIT)).isEqualTo("rs2 hello " + i);
                    Thread.sleep(300);
                }
                assertThat(echo.alive()).isTrue();
            }
        } finally {
            lab.close();
        }
        assertNothingLeft(prefix);
    }

    @Test
    void natLabServesEveryRealServerFromDir1WithTheDipAsTheirGatewayAndRestartsACrashedOne() {
        String prefix;
        RunningLab lab = RunningLab.start(Lab.nat(2));
        try {
            prefix = lab.prefix();
            LabTopology t = lab.topology();
            LabProbe.Report probe = LabProbe.run(t, LINE_WAIT);
            assertThat(probe.ok()).as(probe.format()).isTrue();
            assertThat(probe.results()).extracting(LabProbe.Result::from).containsOnly("dir1").hasSize(2);

            assertThat(lab.netns().exec(t.realServer(2), "ip", "route", "show", "default").stdout())
                    .contains("via " + AddressPlan.DIP4);
            assertThat(lab.netns().exec(t.realServer(2), "ip", "-br", "addr", "show", "dev", "lo").stdout())
                    .doesNotContain(AddressPlan.VIP4);
            // No router: the client reaches the real servers only through a director's VIP.
            assertThat(NamespaceHttp.get(t.client(), AddressPlan.rip4(1), 80, "/", Duration.ofSeconds(1)).ok()).isFalse();

            // A crashed real server (a drill scenario) stops answering and can be brought back.
            lab.killRealServer(2);
            assertThat(NamespaceHttp.get(t.director(1), AddressPlan.rip4(2), 80, "/", Duration.ofSeconds(1)).ok()).isFalse();
            lab.startRealServer(2);
            lab.awaitRealServers(java.util.List.of("rs2"), Duration.ofSeconds(30));
            assertThat(NamespaceHttp.get(t.director(1), AddressPlan.rip4(2), 80, "/", LINE_WAIT).body()).isEqualTo("rs2\n");
        } finally {
            lab.close();
        }
        assertNothingLeft(prefix);
    }

    @Test
    void aRealServerThatCannotStartRollsTheWholeLabBack() throws Exception {
        String prefix = NetnsLab.uniquePrefix("lf");
        Path logs = Files.createTempDirectory("lvsha-lab-fail");
        try {
            // 'false' exits at once in place of a JVM: start must notice, clean up and say why.
            LvshaJvm broken = LvshaJvm.of("false", "none");
            assertThatThrownBy(() -> RunningLab.start(Lab.nat(1), prefix, logs, true, broken, Duration.ofSeconds(10)))
                    .hasMessageContaining("rs1 exited during start");
        } finally {
            NetnsLab.sweep(prefix);
        }
        assertNothingLeft(prefix);
    }

    static void assertNothingLeft(String prefix) {
        assertThat(Shell.run("ip", "netns", "list").stdout()).doesNotContain(prefix + "-");
        // Every link lived in a lab namespace; none may have leaked into ours (veths are named PREFIXa0...).
        assertThat(Shell.run("ip", "-o", "link").stdout()).doesNotContain(prefix);
        Shell.Result pgrep = Shell.tryRun("pgrep", "-f", "--", LvshaJvm.labMarker(prefix));
        assertThat(pgrep.exitCode()).as("lab processes still running: " + pgrep.stdout()).isEqualTo(1);
    }
}
