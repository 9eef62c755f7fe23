package org.lvsha.core.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.lvsha.core.lab.NetnsLab;
import org.lvsha.core.lab.Privileges;
import org.lvsha.core.platform.rtnl.Link;
import org.lvsha.core.platform.rtnl.RtNetlink;

@Tag("netns")
class NetworkNamespaceTest {

    @BeforeEach
    void needsNetns() {
        assumeTrue(Privileges.netnsAvailable(), () -> "skipped: " + Privileges.netnsUnavailableReason().orElse(""));
    }

    private static String ownNamespace() throws Exception {
        return Files.readSymbolicLink(Path.of("/proc/thread-self/ns/net")).toString();
    }

    @Test
    void socketsOpenedOnAThreadInsideANamespaceSeeThatNamespaceAndTheThreadReturns() throws Exception {
        try (NetnsLab lab = NetnsLab.create()) {
            String a = lab.addHost("a");
            String b = lab.addHost("b");
            lab.link(a, "ethA", b, "ethB");
            String before = ownNamespace();

            NetworkNamespace.Entered entered = NetworkNamespace.enter(a);
            try (RtNetlink inA = RtNetlink.open()) {
                assertThat(ownNamespace()).isNotEqualTo(before);
                assertThat(inA.links()).extracting(Link::name).containsExactlyInAnyOrder("lo", "ethA");
                assertThat(Native.LIBC.if_nametoindex("ethA")).isPositive();
            } finally {
                entered.close();
            }
            assertThat(ownNamespace()).isEqualTo(before);

            // A socket keeps its namespace whichever thread uses it afterwards.
            try (RtNetlink inB = NetworkNamespace.call(b, RtNetlink::open)) {
                assertThat(inB.links()).extracting(Link::name).containsExactlyInAnyOrder("lo", "ethB");
            }
            assertThatThrownBy(() -> NetworkNamespace.call(lab.ns("missing"), RtNetlink::open))
                    .isInstanceOf(ErrnoException.class)
                    .hasMessageContaining("/var/run/netns/" + lab.ns("missing"))
                    .hasMessageContaining("ENOENT");
        }
    }

    @Test
    void errnoNamesComeFromTheTable() {
        assertThat(Errno.name(17)).isEqualTo("EEXIST");
        assertThat(Errno.name(-99)).isEqualTo("EADDRNOTAVAIL");
        assertThat(Errno.name(19)).isEqualTo("ENODEV");
        assertThat(Errno.name(4242)).isEqualTo("errno 4242");
        assertThat(new ErrnoException("RTM_NEWADDR", "192.0.2.100/24 dev eth0", 17, null))
                .hasMessage("RTM_NEWADDR 192.0.2.100/24 dev eth0: EEXIST (File exists)");
    }
}
