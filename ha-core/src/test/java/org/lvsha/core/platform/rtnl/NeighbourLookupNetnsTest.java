package org.lvsha.core.platform.rtnl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.InetAddress;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.lvsha.core.lab.NetnsLab;
import org.lvsha.core.lab.Privileges;
import org.lvsha.core.platform.Native;
import org.lvsha.core.platform.NetworkNamespace;

@Tag("netns")
class NeighbourLookupNetnsTest {

    @BeforeEach
    void needsNetns() {
        assumeTrue(Privileges.netnsAvailable(), () -> "skipped: " + Privileges.netnsUnavailableReason().orElse(""));
    }

    @Test
    void neighbourLookupReturnsTheEntryWithItsMacAndStateAndNothingForUnknownAddresses() throws Exception {
        try (NetnsLab lab = NetnsLab.create()) {
            String a = lab.addHost("a");
            String b = lab.addHost("b");
            lab.link(a, "eth0", b, "eth0");
            lab.exec(a, "ip", "neigh", "add", "198.51.100.50", "lladdr", "02:00:5e:03:00:32", "dev", "eth0", "nud", "permanent");
            lab.exec(a, "ip", "-6", "neigh", "add", "2001:db8:0:3::50", "lladdr", "02:00:5e:03:00:33", "dev", "eth0", "nud", "stale");
            try (RtNetlink rt = NetworkNamespace.call(a, RtNetlink::open)) {
                int eth0 = rt.link("eth0").orElseThrow().index();
                Neighbour v4 = rt.neighbour(eth0, InetAddress.getByName("198.51.100.50")).orElseThrow();
                assertThat(v4.mac()).hasToString("02:00:5e:03:00:32");
                assertThat(v4.stateName()).isEqualTo("PERMANENT");
                Neighbour v6 = rt.neighbour(eth0, InetAddress.getByName("2001:db8:0:3::50")).orElseThrow();
                assertThat(v6.mac()).hasToString("02:00:5e:03:00:33");
                assertThat(v6.state() & Neighbour.NUD_STALE).isNotZero();
                assertThat(rt.neighbour(eth0, InetAddress.getByName("198.51.100.51"))).isEmpty();
                assertThat(rt.neighbours(Native.AF_INET)).extracting(Neighbour::address).doesNotContain(InetAddress.getByName("2001:db8:0:3::50"));
            }
        }
    }
}
