package org.lvsha.core.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("netns")
class NetnsLabTest {

    @BeforeEach
    void needsNetns() {
        assumeTrue(Privileges.netnsAvailable(), () -> "skipped: " + Privileges.netnsUnavailableReason().orElse(""));
    }

    @Test
    void twoHostsOnABridgePingEachOtherAndCloseRemovesEverything() {
        String prefix;
        try (NetnsLab lab = NetnsLab.create()) {
            prefix = lab.prefix();
            String a = lab.addHost("a");
            String b = lab.addHost("b");
            lab.addBridge("out");
            lab.connect(a, "eth0", "out", "02:00:00:00:00:0a");
            lab.connect(b, "eth0", "out", "02:00:00:00:00:0b");
            lab.exec(a, "ip", "addr", "add", "192.0.2.1/24", "dev", "eth0");
            lab.exec(b, "ip", "addr", "add", "192.0.2.2/24", "dev", "eth0");
            Shell.Result ping = lab.tryExec(a, Duration.ofSeconds(10), "ping", "-c", "1", "-W", "2", "192.0.2.2");
            assertThat(ping.exitCode()).as(ping.stdout() + ping.stderr()).isZero();
            assertThat(lab.exec(b, "ip", "-br", "link", "show", "eth0").stdout()).contains("02:00:00:00:00:0b");
        }
        assertThat(Shell.run("ip", "netns", "list").stdout()).doesNotContain(prefix + "-");
    }

    @Test
    void sweepRemovesLeftoversOfACrashedRun() {
        String prefix = NetnsLab.uniquePrefix("lz");
        Shell.run("ip", "netns", "add", prefix + "-stale");
        NetnsLab.sweep(prefix);
        assertThat(Shell.run("ip", "netns", "list").stdout()).doesNotContain(prefix + "-");
    }
}
