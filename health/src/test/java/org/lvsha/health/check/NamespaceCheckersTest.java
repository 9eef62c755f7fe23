package org.lvsha.health.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lvsha.core.lab.NetnsLab;
import org.lvsha.core.lab.Privileges;
import org.lvsha.core.lab.Shell;
import org.lvsha.health.testing.RealServerApps;
import org.lvsha.health.testing.TestCertificate;
import org.lvsha.health.testing.TinyHttpServer;
import org.lvsha.health.tools.CheckOnce;

/**
 * Checks from a director namespace against a real-server namespace on a veth link (192.0.2.2 and 192.0.2.11).
 * Failures the network causes: the server process stopped (the kernel answers RST), the port blackholed by an
 * nftables drop rule (no answer at all), UDP with the reply dropped. Failures the application causes: a wrong
 * status, a wrong body, a response dribbled slower than the timeout, a TLS certificate from another CA, a DNS
 * answer that is not the expected one, an agent reporting 50 %, drain and down. The probe runs in the director
 * namespace through {@link CheckOnce}; the servers are separate processes in the real server's namespace.
 */
@Tag("netns")
class NamespaceCheckersTest {
    private static final String RIP = "192.0.2.11";
    @TempDir
    Path tmp;

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** One probe from {@code ns} against RIP:80 through {@link CheckOnce}, in its own JVM. */
    private static Shell.Result checkFrom(NetnsLab lab, String ns, String yaml, String timeout) {
        return checkFrom(lab, ns, 80, yaml, timeout);
    }

    private static Shell.Result checkFrom(NetnsLab lab, String ns, int port, String yaml, String timeout) {
        return lab.tryExec(ns, Duration.ofSeconds(60), java(), "-Xshare:auto", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), CheckOnce.class.getName(), RIP, String.valueOf(port), yaml, timeout);
    }

    /**
     * The timeout of probes that must get an answer (UP, or ICMP port unreachable): a probe JVM's first connect or
     * datagram includes loading Netty's classes, a second or more on a loaded machine. Waiting longer costs nothing.
     */
    static final String UP_TIMEOUT = "15s";

    @Test
    void stoppedServerIsRefusedAndBlackholedPortTimesOut() throws Exception {
        assumeTrue(Privileges.netnsAvailable(), () -> "skipped: " + Privileges.netnsUnavailableReason().orElse(""));
        assumeTrue(Shell.tryRun("nft", "--version").ok(), "skipped: nft (nftables) is not installed");
        try (NetnsLab lab = NetnsLab.create(NetnsLab.uniquePrefix("hc"))) {
            String dir = lab.addHost("dir");
            String rs = lab.addHost("rs");
            wire(lab, dir, rs);
            File log = tmp.resolve("server.log").toFile();
            Process server = lab.spawn(rs, List.of(java(), "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                    TinyHttpServer.class.getName(), RIP, "80"), log);
            Awaitility.await().atMost(30, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(100))
                    .until(() -> log.exists() && Files.readString(log.toPath()).contains("READY"));

            Shell.Result up = checkFrom(lab, dir, "{type: http, path: /, bodyRegex: ok}", UP_TIMEOUT);
            assertThat(up.stdout()).as(up.stdout() + up.stderr()).startsWith("UP");
            Shell.Result udpUp = checkFrom(lab, dir, "{type: udp, payload: PING, replyRegex: PONG}", UP_TIMEOUT);
            assertThat(udpUp.stdout()).as(udpUp.stdout() + udpUp.stderr()).startsWith("UP");

            // blackhole: drop everything to port 80 in the real server's namespace
            lab.exec(rs, "nft", "add", "table", "inet", "lvshabh");
            lab.exec(rs, "nft", "add", "chain", "inet", "lvshabh", "input", "{ type filter hook input priority 0 ; }");
            lab.exec(rs, "nft", "add", "rule", "inet", "lvshabh", "input", "tcp", "dport", "80", "drop");
            lab.exec(rs, "nft", "add", "rule", "inet", "lvshabh", "input", "udp", "dport", "80", "drop");
            Shell.Result holed = checkFrom(lab, dir, "{type: tcp}", "700ms");
            assertThat(holed.stdout()).as(holed.stdout() + holed.stderr()).startsWith("DOWN TIMEOUT");
            // At least the timeout; the upper bound catches a timeout that is not applied (the OS's connect timeout
            // is minutes). The figure includes the probe JVM's cold start of Netty, seconds on a loaded machine.
            assertThat(elapsedMs(holed)).isBetween(650L, 10_000L);
            Shell.Result udpHoled = checkFrom(lab, dir, "{type: udp, payload: PING}", "700ms");
            assertThat(udpHoled.stdout()).as(udpHoled.stdout() + udpHoled.stderr()).startsWith("DOWN TIMEOUT");
            lab.exec(rs, "nft", "delete", "table", "inet", "lvshabh");

            // stopped process: the kernel resets the connection at once
            server.destroyForcibly();
            assertThat(server.waitFor(10, TimeUnit.SECONDS)).isTrue();
            Shell.Result refused = checkFrom(lab, dir, "{type: http, path: /}", "30s");
            assertThat(refused.stdout()).as(refused.stdout() + refused.stderr()).startsWith("DOWN CONNECT_REFUSED");
            // well before the timeout (the figure includes the probe JVM's cold start of Netty, seconds under load)
            assertThat(elapsedMs(refused)).isLessThan(15_000L);
            Shell.Result unreachable = checkFrom(lab, dir, "{type: udp, payload: PING}", UP_TIMEOUT);
            assertThat(unreachable.stdout()).as(unreachable.stdout() + unreachable.stderr()).startsWith("DOWN PORT_UNREACHABLE");
        }
    }

    @Test
    void applicationFailuresAreSeenFromTheDirectorsNamespace() throws Exception {
        assumeTrue(Privileges.netnsAvailable(), () -> "skipped: " + Privileges.netnsUnavailableReason().orElse(""));
        try (NetnsLab lab = NetnsLab.create(NetnsLab.uniquePrefix("ha"))) {
            String dir = lab.addHost("dir");
            String rs = lab.addHost("rs");
            wire(lab, dir, rs);
            TestCertificate good = TestCertificate.create(tmp, "rs1", "dns:rs1.example,ip:" + RIP);
            TestCertificate stranger = TestCertificate.create(tmp, "stranger", "dns:stranger.example");
            File log = tmp.resolve("apps.log").toFile();
            Process apps = lab.spawn(rs, List.of(java(), "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                    RealServerApps.class.getName(), RIP, good.keyStore().toString()), log);
            try {
                Awaitility.await().atMost(30, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(100))
                        .until(() -> log.exists() && Files.readString(log.toPath()).contains("READY") || !apps.isAlive());
                assertThat(apps.isAlive()).as(() -> "server process: " + readQuietly(log)).isTrue();

                assertThat(check(lab, dir, RealServerApps.HTTP, "{type: http, path: /ok, bodyRegex: '^ok$'}", UP_TIMEOUT))
                        .startsWith("UP");
                assertThat(check(lab, dir, RealServerApps.HTTP, "{type: http, path: /unavailable}", UP_TIMEOUT))
                        .startsWith("DOWN WRONG_STATUS").contains("503");
                assertThat(check(lab, dir, RealServerApps.HTTP, "{type: http, path: /maintenance, bodyRegex: '^ok$'}", UP_TIMEOUT))
                        .startsWith("DOWN WRONG_BODY");
                // 30 bytes at 100 ms each: 3 s for the whole response, against a 1.5 s total-response timeout
                String dribbled = check(lab, dir, RealServerApps.HTTP, "{type: http, path: /dribble}", "1500ms");
                assertThat(dribbled).startsWith("DOWN TIMEOUT");
                assertThat(elapsedMs(dribbled)).isBetween(1400L, 10_000L);

                String ca = good.pem().toString();
                assertThat(check(lab, dir, RealServerApps.HTTPS, "{type: tls, serverName: rs1.example, verify: true, caFile: '" + ca + "'}",
                        UP_TIMEOUT)).startsWith("UP");
                assertThat(check(lab, dir, RealServerApps.HTTPS, "{type: http, tls: true, path: /ok, host: rs1.example, verifyTls: true, "
                        + "caFile: '" + ca + "', bodyRegex: secure}", UP_TIMEOUT)).startsWith("UP");
                assertThat(check(lab, dir, RealServerApps.HTTPS, "{type: tls, serverName: rs1.example, verify: true, caFile: '"
                        + stranger.pem() + "'}", UP_TIMEOUT)).startsWith("DOWN TLS_ERROR");

                assertThat(check(lab, dir, RealServerApps.DNS, "{type: dns, name: www.example, queryType: A, expectAnswer: 192.0.2.80}",
                        UP_TIMEOUT)).startsWith("UP");
                assertThat(check(lab, dir, RealServerApps.DNS, "{type: dns, name: www.example, queryType: A, expectAnswer: 192.0.2.81}",
                        UP_TIMEOUT)).startsWith("DOWN WRONG_ANSWER").contains("192.0.2.80");

                assertThat(check(lab, dir, RealServerApps.HTTP, "{type: agent, port: " + RealServerApps.AGENT_HALF + "}", UP_TIMEOUT))
                        .startsWith("UP").contains("weight=50%");
                assertThat(check(lab, dir, RealServerApps.HTTP, "{type: agent, port: " + RealServerApps.AGENT_DRAIN + "}", UP_TIMEOUT))
                        .contains("admin=DRAIN");
                assertThat(check(lab, dir, RealServerApps.HTTP, "{type: agent, port: " + RealServerApps.AGENT_DOWN + "}", UP_TIMEOUT))
                        .startsWith("DOWN AGENT_DOWN");
            } finally {
                apps.destroyForcibly();
                apps.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    /** The director (192.0.2.2) and the real server (RIP) on one veth link. */
    private static void wire(NetnsLab lab, String dir, String rs) {
        lab.link(dir, "eth0", rs, "eth0");
        lab.exec(dir, "ip", "addr", "add", "192.0.2.2/24", "dev", "eth0");
        lab.exec(rs, "ip", "addr", "add", RIP + "/24", "dev", "eth0");
    }

    /** One probe from {@code ns} against RIP:port; its output line (with stderr appended when it says nothing). */
    private static String check(NetnsLab lab, String ns, int port, String yaml, String timeout) {
        Shell.Result r = checkFrom(lab, ns, port, yaml, timeout);
        return r.stdout().isBlank() ? r.stderr() : r.stdout().trim();
    }

    private static String readQuietly(File f) {
        try {
            return Files.readString(f.toPath());
        } catch (java.io.IOException e) {
            return "(" + e.getMessage() + ")";
        }
    }

    /** The probe's own duration as CheckOnce prints it ("DOWN TIMEOUT 702ms ..."). */
    private static long elapsedMs(Shell.Result r) {
        return elapsedMs(r.stdout());
    }

    private static long elapsedMs(String line) {
        for (String word : line.split("\\s+")) {
            if (word.endsWith("ms") && word.substring(0, word.length() - 2).chars().allMatch(Character::isDigit)) {
                return Long.parseLong(word.substring(0, word.length() - 2));
            }
        }
        throw new AssertionError("no duration in " + line);
    }
}
