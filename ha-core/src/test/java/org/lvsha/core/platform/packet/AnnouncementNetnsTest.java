package org.lvsha.core.platform.packet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.InetAddress;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.lvsha.core.lab.NetnsLab;
import org.lvsha.core.lab.Privileges;
import org.lvsha.core.lab.Shell;
import org.lvsha.core.net.VirtualAddress;
import org.lvsha.core.platform.MacAddress;
import org.lvsha.core.platform.NetworkNamespace;
import org.lvsha.core.platform.rtnl.LinuxAddressManager;
import org.lvsha.core.platform.rtnl.Neighbour;
import org.lvsha.core.platform.rtnl.RtNetlink;

/**
 * A VIP moves from dir1 to dir2 on the outside bridge; the client's neighbour cache keeps pointing at
 * dir1 until dir2 announces the address through AF_PACKET, then points at dir2.
 */
@Tag("netns")
class AnnouncementNetnsTest {
    private static final String DIR1_MAC = "02:00:5e:01:00:02";
    private static final String DIR2_MAC = "02:00:5e:01:00:03";
    private static final long DEADLINE_NANOS = Duration.ofSeconds(5).toNanos();

    @BeforeEach
    void needsNetns() {
        assumeTrue(Privileges.netnsAvailable(), () -> "skipped: " + Privileges.netnsUnavailableReason().orElse(""));
    }

    @Test
    void gratuitousArpAndUnsolicitedNeighbourAdvertisementRepointTheClientsNeighbourEntry() throws Exception {
        try (NetnsLab lab = NetnsLab.create()) {
            String dir1 = lab.addHost("dir1");
            String dir2 = lab.addHost("dir2");
            String client = lab.addHost("client");
            lab.addBridge("out");
            for (String ns : new String[] {dir1, dir2, client}) {
                lab.exec(ns, "sysctl", "-qw", "net.ipv6.conf.default.accept_dad=0", "net.ipv6.conf.all.accept_dad=0");
            }
            lab.connect(dir1, "eth0", "out", DIR1_MAC);
            lab.connect(dir2, "eth0", "out", DIR2_MAC);
            lab.connect(client, "eth0", "out", "02:00:5e:01:00:0a");
            lab.exec(dir1, "ip", "addr", "add", "203.0.113.2/24", "dev", "eth0");
            lab.exec(dir2, "ip", "addr", "add", "203.0.113.3/24", "dev", "eth0");
            lab.exec(client, "ip", "addr", "add", "203.0.113.10/24", "dev", "eth0");
            lab.exec(client, "ip", "addr", "add", "2001:db8:0:1::10/64", "dev", "eth0", "nodad");

            VirtualAddress vip = new VirtualAddress("eth0", InetAddress.getByName("203.0.113.100"), 24, "eth0:0");
            VirtualAddress vip6 = new VirtualAddress("eth0", InetAddress.getByName("2001:db8:0:1::100"), 64, null);
            try (LinuxAddressManager am1 = NetworkNamespace.call(dir1, LinuxAddressManager::open);
                 LinuxAddressManager am2 = NetworkNamespace.call(dir2, LinuxAddressManager::open);
                 RtNetlink clientRt = NetworkNamespace.call(client, RtNetlink::open)) {
                int clientEth0 = clientRt.link("eth0").orElseThrow().index();
                for (VirtualAddress v : new VirtualAddress[] {vip, vip6}) {
                    am1.add(v);
                    Shell.Result ping = lab.tryExec(client, Duration.ofSeconds(5), "ping", "-c", "1", "-W", "2", v.address().getHostAddress());
                    assertThat(ping.exitCode()).as("client reaches %s on dir1: %s", v, ping.stdout()).isZero();
                    assertThat(neighbourMac(clientRt, clientEth0, v)).as("learned dir1 for %s", v).contains(DIR1_MAC);

                    // Failover without announcing: the client still sends to dir1.
                    am1.remove(v);
                    am2.add(v);
                    assertThat(neighbourMac(clientRt, clientEth0, v)).as("no announcement yet for %s", v).contains(DIR1_MAC);

                    am2.announce(v);
                    String expected = DIR2_MAC;
                    assertThat(awaitNeighbourMac(clientRt, clientEth0, v, expected)).as("after announcing %s", v).isEqualTo(expected);
                    String family = v.ipv6() ? "-6" : "-4";
                    assertThat(lab.exec(client, "ip", family, "neigh", "show", v.address().getHostAddress()).stdout())
                            .as("ip neigh agrees").contains("lladdr " + DIR2_MAC);
                }
            }
        }
    }

    private static Optional<String> neighbourMac(RtNetlink rt, int ifIndex, VirtualAddress v) {
        return rt.neighbour(ifIndex, v.address()).map(Neighbour::mac).map(MacAddress::toString);
    }

    private static String awaitNeighbourMac(RtNetlink rt, int ifIndex, VirtualAddress v, String expected) {
        long deadline = System.nanoTime() + DEADLINE_NANOS;
        String last = null;
        while (System.nanoTime() < deadline) {
            last = neighbourMac(rt, ifIndex, v).orElse(null);
            if (expected.equals(last)) {
                return last;
            }
            java.util.concurrent.locks.LockSupport.parkNanos(2_000_000);
        }
        return last;
    }
}
