package org.lvsha.dist.dataplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Map;

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

/** DR through the userspace data plane on dir1 (VIP added by hand, no VRRP), one lab for the class. */
@Tag("netns")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DataplaneDrLabTest {
    private static final String VIP80 = AddressPlan.VIP4 + ":80";
    private RunningLab lab;
    private DataplaneLab dp;

    @BeforeAll
    void startLab() {
        assumeTrue(Privileges.netnsAvailable(), () -> "skipped: " + Privileges.netnsUnavailableReason().orElse(""));
        lab = RunningLab.start(Lab.dr(3));
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

    private void service(String scheduler, String... extra) {
        String[] args = new String[4 + extra.length];
        args[0] = "-A";
        args[1] = "-t";
        args[2] = VIP80;
        args[3] = "-s";
        String[] full = java.util.stream.Stream.concat(java.util.stream.Stream.of("-A", "-t", VIP80, "-s", scheduler),
                java.util.stream.Stream.of(extra)).toArray(String[]::new);
        dp.ipvsOk(full);
    }

    private void real(int rs, int weight) {
        dp.ipvsOk("-a", "-t", VIP80, "-r", AddressPlan.rip4(rs) + ":80", "-g", "-w", Integer.toString(weight));
    }

    @Test
    void roundRobinSpreadsRequestsEvenlyAndListsConnectionsAndStats() {
        service("rr");
        real(1, 1);
        real(2, 1);
        real(3, 1);
        Map<String, Integer> d = DataplaneLabSupport.distribution(lab, 12, 80);
        assertThat(d).as(dp.ipvs(IpvsadmControlProtocol.COUNTERS).out()).isEqualTo(DataplaneLabSupport.counts("rs1", "4", "rs2", "4", "rs3", "4"));
        String lnc = dp.ipvsOk("-L", "-n", "-c");
        assertThat(lnc).contains("IPVS connection entries").contains(AddressPlan.VIP4 + ":80")
                .contains(AddressPlan.rip4(1) + ":80").contains("203.0.113.10:");
        String stats = dp.ipvsOk("-L", "-n", "--stats");
        // 12 connections on the service line, 4 per real server.
        assertThat(stats).containsPattern("TCP  " + AddressPlan.VIP4.replace(".", "\\.") + ":80 +12 ");
        assertThat(stats).containsPattern("-> " + AddressPlan.rip4(1).replace(".", "\\.") + ":80 +4 ");
    }
}
