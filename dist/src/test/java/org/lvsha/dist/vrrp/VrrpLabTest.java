package org.lvsha.dist.vrrp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.lvsha.core.lab.Privileges;
import org.lvsha.dist.lab.AddressPlan;
import org.lvsha.dist.lab.AddressPlan.Net;
import org.lvsha.dist.lab.Lab;
import org.lvsha.dist.vrrp.VrrpLab.Node;
import org.lvsha.dist.vrrp.VrrpLab.Settings;

/**
 * Two {@code lvsha vrrp} nodes on the DR lab network (dir1 priority 150, dir2 priority 100, 100 ms adverts,
 * VIP and DIP instances in one sync group). One lab for the class; each test starts its own nodes and
 * {@link VrrpLab#reset()} kills them and clears the addresses afterwards.
 */
@Tag("netns")
class VrrpLabTest {
    static final int ADVERT_MS = 100;
    static final int HIGH = 150;
    static final int LOW = 100;
    static final Duration WAIT = Duration.ofSeconds(15);
    static final String DIR1_MAC = Net.OUTSIDE.mac(AddressPlan.DIR1);
    static final String DIR2_MAC = Net.OUTSIDE.mac(AddressPlan.DIR2);

    static VrrpLab lab;

    @BeforeAll
    static void createLab() {
        assumeTrue(Privileges.netnsAvailable(), () -> "skipped: " + Privileges.netnsUnavailableReason().orElse(""));
        lab = VrrpLab.create("vl", Lab.dr(1));
    }

    @AfterEach
    void stopNodes() {
        if (lab != null) {
            lab.reset();
        }
    }

    @AfterAll
    static void removeLab() {
        if (lab != null) {
            lab.close();
        }
    }

    static String config(int dir, int priority) {
        return VrrpLab.directorConfig(dir, priority, Settings.v3(ADVERT_MS));
    }

    /** dir1 up and master first, then dir2: the order keeps a slow JVM start from making dir2 master for a moment. */
    static Node[] startPair() {
        Node d1 = lab.start("dir1", config(1, HIGH));
        d1.awaitState("vip", "MASTER", WAIT);
        d1.awaitState("dip", "MASTER", WAIT);
        Node d2 = lab.start("dir2", config(2, LOW));
        d2.awaitState("vip", "BACKUP", WAIT);
        d2.awaitState("dip", "BACKUP", WAIT);
        return new Node[] {d1, d2};
    }

    static boolean holdsBoth(String dir) {
        return lab.hasAddress(dir, "eth0", AddressPlan.VIP4, AddressPlan.VIP_LABEL)
                && lab.hasAddress(dir, "eth1", AddressPlan.DIP4, AddressPlan.DIP_LABEL);
    }

    static boolean holdsAny(String dir) {
        return lab.hasAddress(dir, "eth0", AddressPlan.VIP4, null) || lab.hasAddress(dir, "eth1", AddressPlan.DIP4, null);
    }

    static void awaitSoleHolder(String dir, String other) {
        VrrpLab.await(WAIT, () -> holdsBoth(dir) && !holdsAny(other),
                () -> dir + " alone holding VIP and DIP; " + dir + ": " + lab.addresses(dir, "eth0") + lab.addresses(dir, "eth1")
                        + other + ": " + lab.addresses(other, "eth0") + lab.addresses(other, "eth1"));
    }

    static String clientNeighbourOfVip() {
        return lab.exec("client", "ip", "neigh", "show", AddressPlan.VIP4, "dev", "eth0");
    }

    @Test
    void higherPriorityWinsWithVipAndDipAsOneSyncGroupAndStaleAddressesAreRemovedAtStart() {
        // A VIP left behind on dir2 by an earlier run that was killed.
        lab.exec("dir2", "ip", "addr", "add", AddressPlan.VIP4 + "/24", "dev", "eth0", "label", AddressPlan.VIP_LABEL);
        Node[] n = startPair();
        awaitSoleHolder("dir1", "dir2");
        assertThat(n[1].state("vip")).isEqualTo("BACKUP");
        // The status file is rewritten every 200 ms: the backup names the master once a rewrite follows its first advert.
        String dir1 = Net.OUTSIDE.v4(AddressPlan.DIR1);
        VrrpLab.await(WAIT, () -> dir1.equals(n[1].status().path("instances").path("vip").path("master").asText()),
                () -> "dir2's status naming " + dir1 + " as master; it says " + n[1].status().path("instances").path("vip"));
        assertThat(n[1].status().path("instances").path("vip").path("master").asText()).isEqualTo(dir1);
        assertThat(n[0].status().path("counters").path("send_errors").asLong()).isZero();
    }

    @Test
    void crashedMasterIsReplacedWithinMasterDownIntervalTheClientFollowsAndTheRestartedMasterPreemptsBack() {
        Node[] n = startPair();
        lab.exec("client", "ping", "-c", "1", "-W", "1", AddressPlan.VIP4);
        assertThat(clientNeighbourOfVip()).contains(DIR1_MAC);

        // The SIGKILL is sent between t0 and t1 (this thread may be descheduled on either side of the call): the lower
        // bound is judged from t0 and the upper from t1, so the test's own scheduling never counts against dir2.
        long t0 = System.nanoTime();
        n[0].process.destroyForcibly();
        long t1 = System.nanoTime();
        n[0].kill(); // waits for the exit
        n[1].awaitState("vip", "MASTER", WAIT);
        n[1].awaitState("dip", "MASTER", WAIT);
        long tookAt = n[1].eventTime("vip", "MASTER", t0);
        double takeoverMs = (tookAt - t0) / 1e6;
        double bound = VrrpLab.masterDownMillis(ADVERT_MS, LOW);
        System.out.printf("VRRP crash takeover (SIGKILL to backup's MASTER transition): %.1f ms (%.1f ms from the kill's return);"
                + " Master_Down_Interval %.1f ms%n", takeoverMs, (tookAt - t1) / 1e6, bound);
        assertThat(takeoverMs).isGreaterThanOrEqualTo(bound - ADVERT_MS);
        assertThat((tookAt - t1) / 1e6).isLessThanOrEqualTo(bound + 100);
        VrrpLab.await(WAIT, () -> holdsBoth("dir2"), () -> "dir2 holding VIP and DIP");
        // Gratuitous ARP: the client's existing neighbour entry now points at dir2.
        // 10 s: each look is an 'ip neigh' process, slow on a loaded machine. Without the gratuitous ARP nothing would
        // change the entry (no traffic, and a stale entry keeps its address), so the wait proves the announcement.
        VrrpLab.await(Duration.ofSeconds(10), () -> clientNeighbourOfVip().contains(DIR2_MAC),
                () -> "client neighbour entry for the VIP to show " + DIR2_MAC + ": " + clientNeighbourOfVip());

        // The killed process left its addresses in the kernel; restarted, it removes them, then preempts back.
        Node d1 = lab.start("dir1", config(1, HIGH));
        d1.awaitState("vip", "MASTER", WAIT);
        n[1].awaitState("vip", "BACKUP", WAIT);
        n[1].awaitState("dip", "BACKUP", WAIT);
        awaitSoleHolder("dir1", "dir2");
        VrrpLab.await(Duration.ofSeconds(10), () -> clientNeighbourOfVip().contains(DIR1_MAC),
                () -> "client neighbour entry for the VIP back on " + DIR1_MAC + ": " + clientNeighbourOfVip());
    }

    @Test
    void masterLinkDownHandsVipAndDipToTheBackupAndLinkUpBringsThemBack() {
        Node[] n = startPair();
        long t0 = System.nanoTime();
        lab.exec("dir1", "ip", "link", "set", "eth0", "down");
        n[1].awaitState("vip", "MASTER", WAIT);
        n[1].awaitState("dip", "MASTER", WAIT);
        n[0].awaitState("vip", "FAULT", WAIT);
        double takeoverMs = (n[1].eventTime("vip", "MASTER", t0) - t0) / 1e6;
        System.out.printf("VRRP link-down takeover: %.1f ms; Master_Down_Interval %.1f ms (+ link poll 100 ms)%n",
                takeoverMs, VrrpLab.masterDownMillis(ADVERT_MS, LOW));
        awaitSoleHolder("dir2", "dir1");

        lab.exec("dir1", "ip", "link", "set", "eth0", "up");
        n[0].awaitState("vip", "MASTER", WAIT);
        n[0].awaitState("dip", "MASTER", WAIT);
        n[1].awaitState("vip", "BACKUP", WAIT);
        awaitSoleHolder("dir1", "dir2");
    }

    @Test
    void gracefulStopSendsPriorityZeroAndTheBackupTakesOverAfterSkewTime() {
        Node[] n = startPair();
        n[0].terminate();
        n[1].awaitState("vip", "MASTER", WAIT);
        n[1].awaitState("dip", "MASTER", WAIT);
        long stop = n[0].eventTime("vip", "INITIALIZE", 0);
        double takeoverMs = (n[1].eventTime("vip", "MASTER", stop) - stop) / 1e6;
        double skew = VrrpLab.skewMillis(ADVERT_MS, LOW);
        System.out.printf("VRRP graceful takeover (master's STOP to backup's MASTER): %.1f ms; Skew_Time %.1f ms%n", takeoverMs, skew);
        assertThat(takeoverMs).isBetween(skew - 5, skew + 50);
        assertThat(n[1].status().path("counters").path("priority0_received").asLong()).isPositive();
        awaitSoleHolder("dir2", "dir1");
    }

    @Test
    void withoutPreemptionAHigherPriorityNodeLeavesTheMasterAloneAndWithADelayPreemptsOnlyAfterIt() {
        Node d2 = lab.start("dir2", config(2, LOW));
        d2.awaitState("vip", "MASTER", WAIT);
        Settings noPreempt = Settings.v3(ADVERT_MS).withPreempt(false, Duration.ZERO);
        Node d1 = lab.start("dir1", VrrpLab.directorConfig(1, HIGH, noPreempt));
        d1.awaitState("vip", "BACKUP", WAIT);
        long since = System.nanoTime();
        // A negative claim needs time to pass: five Master_Down_Intervals of adverts from the lower-priority master.
        VrrpLab.await(Duration.ofSeconds(5), () -> System.nanoTime() - since > 5 * 400_000_000L || !"BACKUP".equals(d1.state("vip")),
                () -> "time to pass");
        assertThat(d1.state("vip")).isEqualTo("BACKUP");
        assertThat(d2.state("vip")).isEqualTo("MASTER");
        awaitSoleHolder("dir2", "dir1");
        d1.kill();

        Settings delayed = Settings.v3(ADVERT_MS).withPreempt(true, Duration.ofMillis(1500));
        Node d1b = lab.start("dir1", VrrpLab.directorConfig(1, HIGH, delayed));
        d1b.awaitState("vip", "MASTER", WAIT);
        long started = d1b.eventTime("vip", "BACKUP", 0);
        double afterMs = (d1b.eventTime("vip", "MASTER", started) - started) / 1e6;
        System.out.printf("VRRP preempt delay 1500 ms: took over %.1f ms after startup%n", afterMs);
        assertThat(afterMs).isBetween(1500.0, 1500.0 + VrrpLab.masterDownMillis(ADVERT_MS, HIGH) + 300);
        awaitSoleHolder("dir1", "dir2");
    }

    /** Raw VRRP packets from the client (a third host on the outside segment), each malformed one way. */
    static final String INJECT = String.join("\n",
            "import socket, struct, sys",
            "src, group = sys.argv[1], '224.0.0.18'",
            "def csum(b):",
            "    if len(b) % 2: b += b'\\0'",
            "    s = sum(struct.unpack('!%dH' % (len(b) // 2), b))",
            "    while s >> 16: s = (s & 0xffff) + (s >> 16)",
            "    return ~s & 0xffff",
            "def v3(vrid, prio, count=1, addrs=('203.0.113.100',), bad=False):",
            "    body = struct.pack('!BBBBHH', 0x31, vrid, prio, count, 10, 0) + b''.join(socket.inet_aton(a) for a in addrs)",
            "    pseudo = socket.inet_aton(src) + socket.inet_aton(group) + struct.pack('!BBH', 0, 112, len(body))",
            "    c = csum(pseudo + body) ^ (0xffff if bad else 0)",
            "    return body[:6] + struct.pack('!H', c) + body[8:]",
            "def v2(vrid, prio, password):",
            "    body = struct.pack('!BBBBBBH', 0x21, vrid, prio, 1, 1, 1, 0) + socket.inet_aton('203.0.113.101') + password.ljust(8, b'\\0')",
            "    return body[:6] + struct.pack('!H', csum(body)) + body[8:]",
            "cases = {",
            "  'BAD_CHECKSUM': (v3(51, 254, bad=True), 255),",
            "  'BAD_TTL': (v3(51, 254), 64),",
            "  'AUTH_MISMATCH': (v2(53, 254, b'wrong'), 255),",
            "  'TRUNCATED': (v3(51, 254)[:4], 255),",
            "  'LENGTH_MISMATCH': (v3(51, 254, count=255), 255),",
            "  'WRONG_VRID': (v3(99, 254), 255),",
            "}",
            "s = socket.socket(socket.AF_INET, socket.SOCK_RAW, 112)",
            "s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF, socket.inet_aton(src))",
            "for name, (pkt, ttl) in cases.items():",
            "    s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_TTL, ttl)",
            "    for _ in range(3):",
            "        s.sendto(pkt, (group, 0))",
            "print('sent', len(cases) * 3)",
            "");

    @Test
    void malformedAdvertsAreCountedPerReasonAndChangeNoState() throws Exception {
        // A VRRPv2 instance with a password next to the v3 pair, so a wrong password has something to miss.
        String v2 = "  - {name: v2, vrid: 53, version: 2, interface: eth0, primary: %s, priority: %d, advert-interval: 1s,"
                + " auth-password: secret, addresses: [\"203.0.113.101/24 label eth0:1\"]}\n";
        Node d1 = lab.start("dir1", VrrpLab.directorConfig(1, HIGH, Settings.v3(ADVERT_MS)
                .withExtra(v2.formatted(Net.OUTSIDE.v4(AddressPlan.DIR1), 255))));
        d1.awaitState("vip", "MASTER", WAIT);
        d1.awaitState("v2", "MASTER", WAIT);
        Node d2 = lab.start("dir2", VrrpLab.directorConfig(2, LOW, Settings.v3(ADVERT_MS)
                .withExtra(v2.formatted(Net.OUTSIDE.v4(AddressPlan.DIR2), LOW))));
        d2.awaitState("vip", "BACKUP", WAIT);
        d2.awaitState("v2", "BACKUP", WAIT);
        long t1 = d1.transitions();
        long t2 = d2.transitions();

        Path script = lab.dir().resolve("inject.py");
        Files.writeString(script, INJECT);
        assertThat(lab.exec("client", "python3", script.toString(), Net.OUTSIDE.v4(AddressPlan.CLIENT))).contains("sent 18");

        for (String reason : List.of("BAD_CHECKSUM", "BAD_TTL", "AUTH_MISMATCH", "TRUNCATED", "LENGTH_MISMATCH", "WRONG_VRID")) {
            for (Node n : List.of(d1, d2)) {
                VrrpLab.await(WAIT, () -> n.rejected(reason) >= 3, () -> n.host + " counting 3 x " + reason
                        + ", status " + n.status());
            }
        }
        // Let a couple of advert intervals pass so any wrongly accepted priority-254 advert would have shown.
        long since = System.nanoTime();
        VrrpLab.await(Duration.ofSeconds(2), () -> System.nanoTime() - since > 4 * ADVERT_MS * 1_000_000L, () -> "time");
        assertThat(Map.of("dir1 vip", d1.state("vip"), "dir2 vip", d2.state("vip"), "dir2 v2", d2.state("v2")))
                .isEqualTo(Map.of("dir1 vip", "MASTER", "dir2 vip", "BACKUP", "dir2 v2", "BACKUP"));
        assertThat(d1.transitions()).isEqualTo(t1);
        assertThat(d2.transitions()).isEqualTo(t2);
        assertThat(d1.process.isAlive() && d2.process.isAlive()).isTrue();
        assertThat(d2.logTail()).contains("BAD_CHECKSUM"); // logged, rate-limited
    }
}
