package org.lvsha.dist.dataplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.lvsha.core.lab.Privileges;
import org.lvsha.dist.lab.AddressPlan;
import org.lvsha.dist.lab.Lab;
import org.lvsha.dist.lab.RunningLab;

/** DR through the userspace data plane on dir1 (VIP added by hand, no VRRP), one lab for the class. */
@Tag("netns")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DataplaneDrLabTest {
    private static final String VIP80 = AddressPlan.VIP4 + ":80";
    private static final String VIP9000 = AddressPlan.VIP4 + ":9000";
    private static final int SOURCES = 8;
    private RunningLab lab;
    private DataplaneLab dp;

    @BeforeAll
    void startLab() {
        assumeTrue(Privileges.netnsAvailable(), () -> "skipped: " + Privileges.netnsUnavailableReason().orElse(""));
        lab = RunningLab.start(Lab.dr(3));
        try {
            // Extra client addresses, so that the hashing schedulers see several sources.
            for (int i = 0; i < SOURCES; i++) {
                lab.netns().exec(lab.topology().ns("client"), "ip", "addr", "add", source(i) + "/24", "dev", "eth0");
            }
            dp = DataplaneLab.start(lab, 2);
        } catch (RuntimeException e) {
            lab.close();
            throw e;
        }
    }

    @AfterAll
    void stopLab() {
        if (lab != null) {
            lab.close();
        }
    }

    @BeforeEach
    void emptyTable() {
        dp.ipvsOk("-C");
    }

    private void service(String scheduler, String... extra) {
        String[] full = java.util.stream.Stream.concat(java.util.stream.Stream.of("-A", "-t", VIP80, "-s", scheduler),
                java.util.stream.Stream.of(extra)).toArray(String[]::new);
        dp.ipvsOk(full);
    }

    private void real(int rs, int weight) {
        dp.ipvsOk("-a", "-t", VIP80, "-r", AddressPlan.rip4(rs) + ":80", "-g", "-w", Integer.toString(weight));
    }

    @Test
    void roundRobinSpreadsRequestsEvenlyAndListsConnectionsAndStats() throws Exception {
        service("rr");
        real(1, 1);
        real(2, 1);
        real(3, 1);
        Map<String, Integer> d = DataplaneLabSupport.distribution(lab, 12, 80);
        assertThat(d).as(dp.ipvs(IpvsadmControlProtocol.COUNTERS).out()).isEqualTo(DataplaneLabSupport.counts("rs1", "4", "rs2", "4", "rs3", "4"));
        String lnc = dp.ipvsOk("-L", "-n", "-c");
        assertThat(lnc).contains("IPVS connection entries").contains(AddressPlan.VIP4 + ":80")
                .contains(AddressPlan.rip4(1) + ":80").contains("203.0.113.10:");
        // Another `lvsha ipvs` process drives the running data plane through its control socket.
        Process cli = new ProcessBuilder(org.lvsha.dist.lab.LvshaJvm.current().command(lab.prefix(),
                org.lvsha.dist.lab.LvshaJvm.SMALL_JVM, java.util.List.of("ipvs", "--backend", "userspace", "--control",
                        dp.control().toString(), "-L", "-n"))).redirectErrorStream(true).start();
        String cliOut = new String(cli.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(cli.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        assertThat(cli.exitValue()).as(cliOut).isZero();
        assertThat(cliOut).isEqualTo(dp.ipvsOk("-L", "-n")).contains("-> " + AddressPlan.rip4(3) + ":80");
        String stats = dp.ipvsOk("-L", "-n", "--stats");
        // 12 connections on the service line, 4 per real server.
        assertThat(stats).containsPattern("TCP  " + AddressPlan.VIP4.replace(".", "\\.") + ":80 +12 ");
        assertThat(stats).containsPattern("-> " + AddressPlan.rip4(1).replace(".", "\\.") + ":80 +4 ");
    }

    private static String source(int i) {
        return "203.0.113." + (20 + i);
    }

    private String counters() {
        return dp.ipvs(IpvsadmControlProtocol.COUNTERS).out();
    }

    @Test
    void weightedRoundRobinFollowsTheWeights() {
        service("wrr");
        real(1, 3);
        real(2, 2);
        real(3, 1);
        assertThat(DataplaneLabSupport.distribution(lab, 12, 80)).as(counters())
                .isEqualTo(DataplaneLabSupport.counts("rs1", "6", "rs2", "4", "rs3", "2"));
    }

    @Test
    void weightedLeastConnectionBalancesByConnectionsOverWeight() {
        service("wlc");
        real(1, 2);
        real(2, 1);
        real(3, 1);
        // Closed connections stay as inactive entries (FIN_WAIT/TIME_WAIT), so overhead/weight evens out 2:1:1.
        assertThat(DataplaneLabSupport.distribution(lab, 12, 80)).as(counters())
                .isEqualTo(DataplaneLabSupport.counts("rs1", "6", "rs2", "3", "rs3", "3"));
    }

    private void hashingKeepsEachSourceOnOneServer(String scheduler) {
        service(scheduler);
        real(1, 1);
        real(2, 1);
        real(3, 1);
        Set<String> used = new HashSet<>();
        for (int i = 0; i < SOURCES; i++) {
            List<String> got = new ArrayList<>();
            for (int k = 0; k < 3; k++) {
                got.add(DataplaneLabSupport.get(lab, source(i), 80));
            }
            assertThat(got).as(scheduler + " from " + source(i) + " " + counters()).doesNotContain("").containsOnly(got.get(0));
            used.add(got.get(0));
        }
        assertThat(used).as(scheduler + " spreads " + SOURCES + " sources").hasSizeGreaterThan(1);
    }

    @Test
    void sourceHashingKeepsEachClientAddressOnOneServer() {
        hashingKeepsEachSourceOnOneServer("sh");
    }

    @Test
    void maglevHashingKeepsEachClientAddressOnOneServer() {
        hashingKeepsEachSourceOnOneServer("mh");
    }

    @Test
    void persistenceKeepsAClientOnOneServerThroughATemplate() {
        service("rr", "-p", "60");
        real(1, 1);
        real(2, 1);
        real(3, 1);
        Map<String, Integer> d = DataplaneLabSupport.distribution(lab, 6, 80);
        assertThat(d).as(counters()).hasSize(1).doesNotContainKey("");
        String lnc = dp.ipvsOk("-L", "-n", "-c");
        // The template: client address with port 0, state NONE (ipvsadm -Lnc).
        assertThat(lnc).containsPattern("TCP +\\d\\d:\\d\\d +NONE +203\\.0\\.113\\.10:0 +203\\.0\\.113\\.100:80 ");
        assertThat(dp.ipvsOk("-L", "-n")).contains("persistent 60");
    }

    @Test
    void weightZeroKeepsTheEstablishedConnectionAndSendsNewOnesElsewhere() {
        dp.ipvsOk("-A", "-t", VIP9000, "-s", "rr");
        dp.ipvsOk("-a", "-t", VIP9000, "-r", AddressPlan.rip4(1) + ":9000", "-g", "-w", "1");
        dp.ipvsOk("-a", "-t", VIP9000, "-r", AddressPlan.rip4(2) + ":9000", "-g", "-w", "1");
        try (DataplaneLabSupport.Echo held = new DataplaneLabSupport.Echo(lab)) {
            String server = held.server();
            assertThat(server).as(counters()).isIn("rs1", "rs2");
            String rip = AddressPlan.rip4(Integer.parseInt(server.substring(2)));
            long nftTable = dp.nftTableHandle();
            assertThat(nftTable).isPositive();
            dp.ipvsOk("-e", "-t", VIP9000, "-r", rip + ":9000", "-g", "-w", "0");
            // A weight change (what health checks do) leaves the nft table alone: no reinstall, no nft process.
            assertThat(dp.nftTableHandle()).isEqualTo(nftTable);
            for (int i = 0; i < 4; i++) {
                try (DataplaneLabSupport.Echo fresh = new DataplaneLabSupport.Echo(lab)) {
                    assertThat(fresh.server()).isNotNull().isNotEqualTo(server);
                }
            }
            assertThat(held.echo("still there")).isEqualTo(server + " still there");
            assertThat(dp.ipvsOk("-L", "-n")).containsPattern("-> " + rip.replace(".", "\\.") + ":9000 +Route +0 +1 ");
            // A new service does change the table.
            service("rr");
            assertThat(dp.nftTableHandle()).isNotEqualTo(nftTable).isPositive();
        }
    }

    @Test
    void deletingADestinationDropsItsConnectionsPacketsUntilTheyExpireAsTheKernelDoes() {
        dp.ipvsOk("-A", "-t", VIP9000, "-s", "rr");
        dp.ipvsOk("-a", "-t", VIP9000, "-r", AddressPlan.rip4(1) + ":9000", "-g");
        dp.ipvsOk("-a", "-t", VIP9000, "-r", AddressPlan.rip4(2) + ":9000", "-g");
        try (DataplaneLabSupport.Echo held = new DataplaneLabSupport.Echo(lab)) {
            String server = held.server();
            assertThat(server).as(counters()).isIn("rs1", "rs2");
            String rip = AddressPlan.rip4(Integer.parseInt(server.substring(2)));
            dp.ipvsOk("-d", "-t", VIP9000, "-r", rip + ":9000");
            try (DataplaneLabSupport.Echo fresh = new DataplaneLabSupport.Echo(lab)) {
                assertThat(fresh.server()).isNotNull().isNotEqualTo(server);
            }
            // expire_nodest_conn = 0: the entry stays (listed, timer not restarted), its packets are dropped.
            assertThat(held.echo("lost", 1500)).isNull(); // nothing within 1.5 s; an answer here would come in ms
            assertThat(dp.ipvsOk("-L", "-n", "-c")).containsPattern("ESTABLISHED +203\\.0\\.113\\.10:\\d+ +203\\.0\\.113\\.100:9000 +"
                    + rip.replace(".", "\\.") + ":9000");
            assertThat(counters()).containsPattern("destination_deleted [1-9]");
        }
    }

    @Test
    void badFramesAreCountedPerReasonAndTheLoopKeepsForwarding() throws Exception {
        service("rr");
        real(1, 1);
        java.nio.ByteBuffer ipChecksum = BadFrameInjector.syn(50001, 0);
        ipChecksum.putShort(24, (short) (ipChecksum.getShort(24) ^ 0x0101));
        java.nio.ByteBuffer fragment = BadFrameInjector.syn(50002, 0);
        fragment.putShort(20, (short) 0x2000); // MF
        BadFrameInjector.fix(fragment);
        java.nio.ByteBuffer tcpChecksum = BadFrameInjector.syn(50003, 0);
        tcpChecksum.putShort(50, (short) (tcpChecksum.getShort(50) ^ 0x0101));
        java.nio.ByteBuffer truncated = java.nio.ByteBuffer.wrap(java.util.Arrays.copyOf(BadFrameInjector.syn(50004, 0).array(), 40));
        java.nio.ByteBuffer options = BadFrameInjector.syn(50005, 8);
        BadFrameInjector.send(lab.topology().ns("client"), ipChecksum, fragment, tcpChecksum, truncated, options);
        long deadline = System.nanoTime() + 15_000_000_000L; // generous: the frames usually arrive in milliseconds
        String c = counters();
        while (!c.contains("bad_ip_options 1") && System.nanoTime() < deadline) {
            Thread.sleep(50);
            c = counters();
        }
        // The lab bridge runs br_netfilter, which validates IPv4 headers (br_validate_ipv4: checksum, lengths)
        // and drops the bad-IP-checksum and truncated frames before dir1: those two cases are unit-tested
        // (Ipv4FrameTest); what reaches the director is counted here.
        assertThat(c).contains("bad_fragment 1").contains("bad_bad_l4_checksum 1").contains("bad_ip_options 1");
        // The SYN with IP options passes the rule: it was scheduled like any other.
        assertThat(dp.ipvsOk("-L", "-n", "-c")).contains("203.0.113.10:50005");
        assertThat(DataplaneLabSupport.get(lab, null, 80)).isEqualTo("rs1");
    }

    @Test
    @Order(Integer.MAX_VALUE)
    void aCrashLeavesTheNftTableTheNextStartReplacesItAndAStopRemovesEverything() {
        String dir1 = lab.topology().ns("dir1");
        service("rr");
        real(1, 1);
        assertThat(dp.nftTables()).contains("table inet lvsha_dp");
        assertThat(lab.netns().exec(dir1, "nft", "list", "table", "inet", "lvsha_dp").stdout())
                .contains("ip daddr " + AddressPlan.VIP4 + " tcp dport 80 drop");

        dp.kill();
        // The crash leaves the table (and its VIP drop) behind.
        assertThat(dp.nftTables()).contains("table inet lvsha_dp");

        dp.startDataPlane();
        String table = lab.netns().exec(dir1, "nft", "list", "table", "inet", "lvsha_dp").stdout();
        assertThat(dp.nftTables().split("lvsha_dp", -1)).hasSize(2);
        assertThat(table).doesNotContain("drop");
        service("rr");
        real(2, 1);
        assertThat(DataplaneLabSupport.get(lab, null, 80)).isEqualTo("rs2");

        String addressesBefore = lab.netns().exec(dir1, "ip", "-o", "addr").stdout();
        String linksBefore = lab.netns().exec(dir1, "ip", "-o", "link").stdout();
        assertThat(dp.stop()).isIn(0, 143);
        assertThat(lab.netns().exec(dir1, "nft", "list", "ruleset").stdout()).isBlank();
        assertThat(lab.netns().exec(dir1, "ip", "-o", "addr").stdout()).isEqualTo(addressesBefore);
        assertThat(lab.netns().exec(dir1, "ip", "-o", "link").stdout()).isEqualTo(linksBefore);
    }
}
