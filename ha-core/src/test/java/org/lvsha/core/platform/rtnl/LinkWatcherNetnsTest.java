package org.lvsha.core.platform.rtnl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.lvsha.core.lab.NetnsLab;
import org.lvsha.core.lab.Privileges;
import org.lvsha.core.platform.NetworkNamespace;

@Tag("netns")
class LinkWatcherNetnsTest {

    @BeforeEach
    void needsNetns() {
        assumeTrue(Privileges.netnsAvailable(), () -> "skipped: " + Privileges.netnsUnavailableReason().orElse(""));
    }

    @Test
    void linkDownAndUpArriveAsEventsAndLinkListingShowsTheState() throws Exception {
        try (NetnsLab lab = NetnsLab.create()) {
            String a = lab.addHost("a");
            String b = lab.addHost("b");
            lab.link(a, "eth0", b, "eth0");
            lab.exec(a, "ip", "link", "set", "eth0", "mtu", "1400");
            try (LinkWatcher watcher = NetworkNamespace.call(a, LinkWatcher::open);
                 RtNetlink rt = NetworkNamespace.call(a, RtNetlink::open)) {
                Link eth0 = rt.link("eth0").orElseThrow();
                assertThat(eth0.isRunning()).isTrue();
                assertThat(eth0.operState()).isEqualTo(OperState.UP);
                assertThat(eth0.mtu()).isEqualTo(1400);
                assertThat(eth0.mac().toString()).isEqualTo(lab.exec(a, "cat", "/sys/class/net/eth0/address").stdout().strip());
                assertThat(rt.links()).extracting(Link::name).contains("lo", "eth0");

                lab.exec(a, "ip", "link", "set", "eth0", "down");
                LinkEvent down = await(watcher, e -> e.link().index() == eth0.index() && !e.link().isUp());
                assertThat(down.link().operState()).isEqualTo(OperState.DOWN);
                assertThat(down.deleted()).isFalse();

                lab.exec(a, "ip", "link", "set", "eth0", "up");
                LinkEvent up = await(watcher, e -> e.link().index() == eth0.index() && e.link().isRunning());
                assertThat(up.link().name()).isEqualTo("eth0");

                // The peer end going down takes the carrier away while this end stays administratively up.
                lab.exec(b, "ip", "link", "set", "eth0", "down");
                LinkEvent noCarrier = await(watcher, e -> e.link().index() == eth0.index() && e.link().isUp() && !e.link().isRunning());
                assertThat(noCarrier.link().operState()).isNotEqualTo(OperState.UP);
            }
        }
    }

    private static LinkEvent await(LinkWatcher watcher, Predicate<LinkEvent> wanted) {
        List<LinkEvent> seen = new ArrayList<>();
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (System.nanoTime() < deadline) {
            List<LinkEvent> batch = new ArrayList<>();
            watcher.poll(100, batch::add);
            seen.addAll(batch);
            for (LinkEvent e : batch) {
                if (wanted.test(e)) {
                    return e;
                }
            }
        }
        throw new AssertionError("expected link event not seen within 5 s; saw " + seen);
    }
}
