package org.lvsha.core.platform.rtnl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.InetAddress;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.lvsha.core.lab.NetnsLab;
import org.lvsha.core.lab.Privileges;
import org.lvsha.core.net.VirtualAddress;
import org.lvsha.core.platform.ErrnoException;
import org.lvsha.core.platform.NetworkNamespace;

@Tag("netns")
class LinuxAddressManagerNetnsTest {

    @BeforeEach
    void needsNetns() {
        assumeTrue(Privileges.netnsAvailable(), () -> "skipped: " + Privileges.netnsUnavailableReason().orElse(""));
    }

    @Test
    void labelledIpv4AndNodadIpv6AddressesAreAddedIdempotentlyAndRemovedAsIpSeesThem() throws Exception {
        try (NetnsLab lab = NetnsLab.create()) {
            String a = lab.addHost("a");
            String b = lab.addHost("b");
            lab.link(a, "eth0", b, "eth0");
            lab.exec(a, "ip", "addr", "add", "203.0.113.2/24", "dev", "eth0");
            VirtualAddress vip = new VirtualAddress("eth0", InetAddress.getByName("203.0.113.100"), 24, "eth0:0");
            VirtualAddress vip6 = new VirtualAddress("eth0", InetAddress.getByName("2001:db8:0:1::100"), 64, null);

            try (LinuxAddressManager am = NetworkNamespace.call(a, LinuxAddressManager::open)) {
                assertThat(am.isPresent(vip)).isFalse();
                am.add(vip);
                am.add(vip); // idempotent
                am.add(vip6);
                am.add(vip6);

                String ipv4 = lab.exec(a, "ip", "-4", "addr", "show", "dev", "eth0").stdout();
                assertThat(ipv4).containsPattern("inet 203\\.0\\.113\\.100/24 .*secondary eth0:0");
                String brief = lab.exec(a, "ip", "-br", "addr", "show", "dev", "eth0").stdout();
                assertThat(brief).contains("203.0.113.100/24").contains("2001:db8:0:1::100/64");
                // nodad: usable at once, never tentative.
                String ipv6 = lab.exec(a, "ip", "-6", "addr", "show", "dev", "eth0").stdout();
                assertThat(ipv6).containsPattern("inet6 2001:db8:0:1::100/64 scope global nodad").doesNotContainPattern("2001:db8:0:1::100/64[^\\n]*tentative");
                assertThat(am.isPresent(vip)).isTrue();
                assertThat(am.isPresent(vip6)).isTrue();
                assertThat(am.rtNetlink().addresses(0)).anySatisfy(x -> {
                    assertThat(x.address().getHostAddress()).isEqualTo("203.0.113.100");
                    assertThat(x.label()).isEqualTo("eth0:0");
                });

                am.remove(vip);
                am.remove(vip); // idempotent
                am.remove(vip6);
                am.remove(vip6);
                brief = lab.exec(a, "ip", "-br", "addr", "show", "dev", "eth0").stdout();
                assertThat(brief).contains("203.0.113.2/24").doesNotContain("203.0.113.100").doesNotContain("2001:db8:0:1::100");
                assertThat(am.isPresent(vip)).isFalse();
                assertThat(am.isPresent(vip6)).isFalse();
            }
        }
    }

    @Test
    void errorsNameTheOperationTheAddressTheDeviceAndTheErrno() throws Exception {
        try (NetnsLab lab = NetnsLab.create()) {
            String a = lab.addHost("a");
            String b = lab.addHost("b");
            lab.link(a, "eth0", b, "eth0");
            try (RtNetlink rt = NetworkNamespace.call(a, RtNetlink::open);
                 LinuxAddressManager am = NetworkNamespace.call(a, LinuxAddressManager::open)) {
                int eth0 = rt.link("eth0").orElseThrow().index();
                InterfaceAddress missing = InterfaceAddress.of(eth0, InetAddress.getByName("192.0.2.100"), 24);
                assertThatThrownBy(() -> rt.deleteAddress(missing))
                        .isInstanceOf(ErrnoException.class)
                        .hasMessageStartingWith("RTM_DELADDR 192.0.2.100/24 dev eth0: EADDRNOTAVAIL")
                        .satisfies(e -> assertThat(((ErrnoException) e).errnoName()).isEqualTo("EADDRNOTAVAIL"));

                rt.addAddress(missing.withLabel("eth0:0"));
                assertThatThrownBy(() -> rt.addAddress(missing))
                        .hasMessageStartingWith("RTM_NEWADDR 192.0.2.100/24 dev eth0: EEXIST");

                VirtualAddress onMissingDevice = new VirtualAddress("nosuch0", InetAddress.getByName("192.0.2.100"), 24, null);
                assertThatThrownBy(() -> am.add(onMissingDevice))
                        .isInstanceOf(ErrnoException.class)
                        .hasMessageStartingWith("RTM_NEWADDR 192.0.2.100/24 dev nosuch0: ENODEV");
                assertThat(rt.link("nosuch0")).isEmpty();
            }
        }
    }

    @Test
    void dumpsLargerThanOneReceiveReturnEveryAddress() throws Exception {
        try (NetnsLab lab = NetnsLab.create()) {
            String a = lab.addHost("a");
            String b = lab.addHost("b");
            lab.link(a, "eth0", b, "eth0");
            try (RtNetlink rt = NetworkNamespace.call(a, RtNetlink::open)) {
                int eth0 = rt.link("eth0").orElseThrow().index();
                int added = 0;
                for (String net : new String[] {"198.51.100.", "203.0.113."}) {
                    for (int host = 1; host <= 250; host++) {
                        rt.addAddress(InterfaceAddress.of(eth0, InetAddress.getByName(net + host), 32));
                        added++;
                    }
                }
                // About 500 RTM_NEWADDR messages of ~70 bytes: several receives of one dump.
                assertThat(rt.addresses(org.lvsha.core.platform.Native.AF_INET, eth0)).hasSize(added);
                assertThat(lab.exec(a, "ip", "-4", "-o", "addr", "show", "dev", "eth0").stdout().lines().count()).isEqualTo(added);
            }
        }
    }

    @Test
    void scopeAndFlagsReachTheKernelAndComeBackInTheListing() throws Exception {
        try (NetnsLab lab = NetnsLab.create()) {
            String a = lab.addHost("a");
            String b = lab.addHost("b");
            lab.link(a, "eth0", b, "eth0");
            try (RtNetlink rt = NetworkNamespace.call(a, RtNetlink::open)) {
                int eth0 = rt.link("eth0").orElseThrow().index();
                rt.addAddress(InterfaceAddress.of(eth0, InetAddress.getByName("198.51.100.7"), 32)
                        .withScope(InterfaceAddress.RT_SCOPE_HOST).withLabel("eth0:h"));
                rt.addAddress(InterfaceAddress.of(eth0, InetAddress.getByName("2001:db8:0:3::7"), 64)
                        .withFlags(InterfaceAddress.IFA_F_NODAD | InterfaceAddress.IFA_F_NOPREFIXROUTE));
                assertThat(lab.exec(a, "ip", "addr", "show", "dev", "eth0").stdout())
                        .containsPattern("inet 198\\.51\\.100\\.7/32 scope host eth0:h")
                        .containsPattern("inet6 2001:db8:0:3::7/64 scope global nodad noprefixroute");
                assertThat(lab.exec(a, "ip", "-6", "route", "show", "dev", "eth0").stdout()).doesNotContain("2001:db8:0:3::/64");
                InterfaceAddress v6 = rt.addresses(org.lvsha.core.platform.Native.AF_INET6, eth0).stream()
                        .filter(x -> x.address().getHostAddress().startsWith("2001:db8:0:3:")).findFirst().orElseThrow();
                assertThat(v6.flags() & (InterfaceAddress.IFA_F_NODAD | InterfaceAddress.IFA_F_NOPREFIXROUTE))
                        .isEqualTo(InterfaceAddress.IFA_F_NODAD | InterfaceAddress.IFA_F_NOPREFIXROUTE);
                InterfaceAddress v4 = rt.addresses(org.lvsha.core.platform.Native.AF_INET, eth0).get(0);
                assertThat(v4.scope()).isEqualTo(InterfaceAddress.RT_SCOPE_HOST);
                assertThat(v4.label()).isEqualTo("eth0:h");
            }
        }
    }
}
