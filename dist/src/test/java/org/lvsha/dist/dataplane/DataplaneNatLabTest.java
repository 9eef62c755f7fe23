package org.lvsha.dist.dataplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.lvsha.core.lab.Privileges;
import org.lvsha.dist.lab.AddressPlan;
import org.lvsha.dist.lab.Lab;
import org.lvsha.dist.lab.RunningLab;

/**
 * NAT through the userspace data plane on dir1: VIP and DIP added by hand, the real servers' gateway is the DIP,
 * requests are rewritten to RIP:port and replies back to VIP:port (checksums updated incrementally).
 */
@Tag("netns")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DataplaneNatLabTest {
    private RunningLab lab;
    private DataplaneLab dp;

    @BeforeAll
    void startLab() {
        assumeTrue(Privileges.netnsAvailable(), () -> "skipped: " + Privileges.netnsUnavailableReason().orElse(""));
        lab = RunningLab.start(Lab.nat(2));
        try {
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

    private String counters() {
        return dp.ipvs(IpvsadmControlProtocol.COUNTERS).out();
    }

    @Test
    void requestsAreMasqueradedToTheRealServersAndRepliesComeBackFromTheVip() {
        String vip = AddressPlan.VIP4 + ":80";
        dp.ipvsOk("-A", "-t", vip, "-s", "rr");
        dp.ipvsOk("-a", "-t", vip, "-r", AddressPlan.rip4(1) + ":80", "-m");
        dp.ipvsOk("-a", "-t", vip, "-r", AddressPlan.rip4(2) + ":80", "-m");
        assertThat(DataplaneLabSupport.distribution(lab, 6, 80)).as(counters())
                .isEqualTo(DataplaneLabSupport.counts("rs1", "3", "rs2", "3"));
        String stats = dp.ipvsOk("-L", "-n", "--stats");
        // Both directions pass the director: in and out packets are counted on the service and each server.
        assertThat(stats).containsPattern("TCP  203\\.0\\.113\\.100:80 +6 +\\d+ +[1-9]\\d* ");
        assertThat(stats).containsPattern("-> 192\\.0\\.2\\.11:80 +3 +\\d+ +[1-9]\\d* ");
        assertThat(dp.ipvsOk("-L", "-n", "-c")).contains("192.0.2.11:80").contains("192.0.2.12:80");
        assertThat(counters()).containsPattern("replies_forwarded [1-9]").contains("bad_bad_l4_checksum 0");
    }

    @Test
    void portMappingSendsTheVirtualPortToAnotherRealServerPort() {
        String vip = AddressPlan.VIP4 + ":8080";
        dp.ipvsOk("-A", "-t", vip, "-s", "rr");
        dp.ipvsOk("-a", "-t", vip, "-r", AddressPlan.rip4(2) + ":80", "-m");
        assertThat(DataplaneLabSupport.get(lab, null, 8080)).as(counters()).isEqualTo("rs2");
        assertThat(dp.ipvsOk("-L", "-n", "-c")).containsPattern("203\\.0\\.113\\.100:8080 +192\\.0\\.2\\.12:80");
    }

    @Test
    void aLongLivedConnectionStaysEstablishedThroughTheNat() {
        String vip = AddressPlan.VIP4 + ":9000";
        dp.ipvsOk("-A", "-t", vip, "-s", "wlc");
        dp.ipvsOk("-a", "-t", vip, "-r", AddressPlan.rip4(1) + ":9000", "-m");
        dp.ipvsOk("-a", "-t", vip, "-r", AddressPlan.rip4(2) + ":9000", "-m");
        try (DataplaneLabSupport.Echo held = new DataplaneLabSupport.Echo(lab)) {
            String server = held.server();
            assertThat(server).as(counters()).isIn("rs1", "rs2");
            for (int i = 0; i < 5; i++) {
                assertThat(held.echo("line " + i)).isEqualTo(server + " line " + i);
            }
            assertThat(dp.ipvsOk("-L", "-n", "-c")).containsPattern("TCP +\\d\\d:\\d\\d +ESTABLISHED +203\\.0\\.113\\.10:\\d+ +203\\.0\\.113\\.100:9000");
            // wlc: the busy server has one active connection, so the next goes to the other.
            try (DataplaneLabSupport.Echo second = new DataplaneLabSupport.Echo(lab)) {
                assertThat(second.server()).isNotEqualTo(server);
            }
        }
    }
}
