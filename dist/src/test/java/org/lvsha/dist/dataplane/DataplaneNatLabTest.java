package org.lvsha.dist.dataplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.lvsha.core.dataplane.ConnectionListener;
import org.lvsha.core.dataplane.ConnectionStates;
import org.lvsha.core.dataplane.ConnectionTable;
import org.lvsha.core.dataplane.DataPlane;
import org.lvsha.core.dataplane.SyncedConnection;
import org.lvsha.core.dataplane.UserspaceIpvs;
import org.lvsha.core.ipvs.AddressText;
import org.lvsha.core.ipvs.ConnectionEntry;
import org.lvsha.core.ipvs.admin.Ipvsadm;
import org.lvsha.core.lab.Privileges;
import org.lvsha.core.platform.NetworkNamespace;
import org.lvsha.dist.lab.AddressPlan;
import org.lvsha.dist.lab.Lab;
import org.lvsha.dist.lab.RunningLab;

/**
 * NAT through the userspace data plane on dir1: VIP and DIP added by hand, the real servers' gateway is the DIP,
 * requests are rewritten to RIP:port and replies back to VIP:port (checksums updated incrementally).
 */
@Tag("netns")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
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

    @Test
    void ratesAreEstimatedFromLiveCounters() throws Exception {
        String vip = AddressPlan.VIP4 + ":80";
        dp.ipvsOk("-A", "-t", vip, "-s", "rr");
        dp.ipvsOk("-a", "-t", vip, "-r", AddressPlan.rip4(1) + ":80", "-m");
        DataplaneLabSupport.distribution(lab, 10, 80);
        // Estimated every 2 s (ip_vs_est.c); after one interval the smoothed rates are non-zero. Awaited rather than
        // read once after 2.3 s: the estimator's tick comes late when its thread is descheduled on a loaded machine.
        java.util.regex.Pattern nonZero = java.util.regex.Pattern.compile("TCP  203\\.0\\.113\\.100:80 +[1-9]\\d* +[1-9]");
        String rates = dp.ipvsOk("-L", "-n", "--rate");
        long deadline = System.nanoTime() + 15_000_000_000L;
        while (!nonZero.matcher(rates).find() && System.nanoTime() < deadline) {
            Thread.sleep(200);
            rates = dp.ipvsOk("-L", "-n", "--rate");
        }
        assertThat(rates).contains("CPS").containsPattern(nonZero);
    }

    /** The counter's value once it has not changed for 500 ms (15 s at most: then its latest value). */
    static long settledCounter(DataPlane plane, String name) throws InterruptedException {
        long deadline = System.nanoTime() + 15_000_000_000L;
        long value = plane.counters().get(name);
        long since = System.nanoTime();
        while (System.nanoTime() - since < 500_000_000L && System.nanoTime() < deadline) {
            Thread.sleep(20);
            long now = plane.counters().get(name);
            if (now != value) {
                value = now;
                since = System.nanoTime();
            }
        }
        return value;
    }

    /**
     * The API connection sync uses, on an in-process data plane in dir1 (the spawned one is stopped first): every
     * event is published, and an entry inserted from outside forwards the client's next segment to its server.
     */
    @Test
    @Order(Integer.MAX_VALUE)
    void connectionEventsArePublishedAndInsertedConnectionsForward() throws Exception {
        dp.stop();
        String dir1 = lab.topology().ns("dir1");
        List<String> events = new CopyOnWriteArrayList<>();
        DataPlane plane = NetworkNamespace.call(dir1, () -> DataPlane.start(DataPlane.Config.of("eth0", "eth1").withWorkers(2).withCapacity(1024)));
        try {
            plane.setConnectionListener(new ConnectionListener() {
                @Override
                public void created(ConnectionTable t, int id) {
                    events.add("created " + t.clientPort(id));
                }

                @Override
                public void stateChanged(ConnectionTable t, int id, int previous) {
                    events.add("state " + t.clientPort(id) + " " + ConnectionStates.tcpName(t.state(id)));
                }
            });
            UserspaceIpvs ipvs = NetworkNamespace.call(dir1, () -> new UserspaceIpvs(plane));
            int rc = NetworkNamespace.call(dir1, () -> new Ipvsadm(ipvs, System.in, System.out, System.err)
                    .run("-A", "-t", AddressPlan.VIP4 + ":80", "-s", "rr"));
            rc += NetworkNamespace.call(dir1, () -> new Ipvsadm(ipvs, System.in, System.out, System.err)
                    .run("-a", "-t", AddressPlan.VIP4 + ":80", "-r", AddressPlan.rip4(1) + ":80", "-m"));
            rc += NetworkNamespace.call(dir1, () -> new Ipvsadm(ipvs, System.in, System.out, System.err)
                    .run("-a", "-t", AddressPlan.VIP4 + ":80", "-r", AddressPlan.rip4(2) + ":80", "-m"));
            assertThat(rc).isZero();

            assertThat(DataplaneLabSupport.get(lab, null, 80)).isIn("rs1", "rs2");
            assertThat(events).anyMatch(e -> e.startsWith("created ")).anyMatch(e -> e.endsWith(" ESTABLISHED"));

            // A connection the master made, handed over by sync: client port 40123 on rs2, ESTABLISHED.
            boolean inserted = plane.insert(new SyncedConnection(6, AddressText.parse("203.0.113.10"), 40123,
                    AddressText.parse(AddressPlan.VIP4), 80, AddressText.parse(AddressPlan.rip4(2)), 80, 0,
                    ConnectionStates.ESTABLISHED, 0));
            assertThat(inserted).isTrue();
            assertThat(events).contains("created 40123");
            ConnectionEntry e = plane.connections().stream().filter(c -> c.clientPort() == 40123).findFirst().orElseThrow();
            assertThat(e.state()).isEqualTo("ESTABLISHED");
            assertThat(e.destinationAddress()).isEqualTo(AddressText.parse(AddressPlan.rip4(2)));
            assertThat(ipvs.services().get(0).destinations().get(1).activeConns()).isEqualTo(1);

            // The request above returned when curl had its answer; its connection's teardown (the client's last ACK,
            // forwarded like any segment) may still be on its way through the data plane on a loaded machine, and
            // once counted it as a second 'forwarded' below. So the counters are read once they have held still.
            long forwarded = settledCounter(plane, "forwarded");
            long noConnection = plane.counters().get("no_connection");
            // The client's next segment (an ACK, which could never create a connection) is forwarded to rs2,
            // whose stack answers with a RST that comes back through the NAT and closes the entry.
            BadFrameInjector.send(lab.topology().ns("client"), BadFrameInjector.segment(40123, 80, 0x10));
            long deadline = System.nanoTime() + 15_000_000_000L; // generous: the answer usually comes in milliseconds
            while (!events.contains("state 40123 CLOSE") && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(plane.counters().get("forwarded")).isEqualTo(forwarded + 1);
            assertThat(plane.counters().get("no_connection")).isEqualTo(noConnection);
            assertThat(events).contains("state 40123 CLOSE");
        } finally {
            NetworkNamespace.call(dir1, () -> {
                plane.close();
                return null;
            });
        }
        assertThat(lab.netns().exec(dir1, "nft", "list", "ruleset").stdout()).isBlank();
    }
}
