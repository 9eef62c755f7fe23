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
import org.lvsha.core.platform.Native;
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

    @Test
    void aWatcherThatFallsBehindIsToldEventsWereLostAndKeepsWorking() throws Exception {
        try (NetnsLab lab = NetnsLab.create()) {
            String a = lab.addHost("a");
            String b = lab.addHost("b");
            lab.link(a, "eth0", b, "eth0");
            try (LinkWatcher watcher = NetworkNamespace.call(a, LinkWatcher::open)) {
                // The smallest receive buffer the kernel allows holds only a few RTM_NEWLINK messages.
                watcher.socket().setInt(Native.SOL_SOCKET, Native.SO_RCVBUF, 1, "SO_RCVBUF");
                lab.exec(a, "sh", "-c", "for i in 1 2 3 4 5 6 7 8 9 10; do ip link set eth0 mtu $((1400 + i)); done");
                boolean[] lost = {false};
                LinkWatcher.Listener listener = new LinkWatcher.Listener() {
                    @Override
                    public void linkChanged(LinkEvent event) {
                    }

                    @Override
                    public void eventsLost() {
                        lost[0] = true;
                    }
                };
                long deadline = System.nanoTime() + 5_000_000_000L;
                while (!lost[0] && System.nanoTime() < deadline) {
                    watcher.poll(100, listener);
                }
                assertThat(lost[0]).as("ENOBUFS reported as lost events").isTrue();

                // What a real listener does next: resynchronise (here: make room) and go on watching.
                watcher.socket().setInt(Native.SOL_SOCKET, Native.SO_RCVBUF, 256 * 1024, "SO_RCVBUF");
                watcher.poll(0, listener);
                lab.exec(a, "ip", "link", "set", "eth0", "down");
                assertThat(await(watcher, e -> e.link().name().equals("eth0") && !e.link().isUp()).link().mtu()).isEqualTo(1410);
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
