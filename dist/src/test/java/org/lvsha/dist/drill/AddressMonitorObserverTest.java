package org.lvsha.dist.drill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.lvsha.core.lab.NetnsLab;
import org.lvsha.core.lab.Privileges;
import org.lvsha.core.lab.Shell;
import org.lvsha.dist.drill.TimelineEvent.VipAddress;
import org.lvsha.dist.lab.AddressPlan;
import org.lvsha.dist.lab.Lab;
import org.lvsha.dist.lab.LabTopology;
import org.lvsha.dist.lab.TopologyBuilder;

/** The VIP moved by hand between the lab's directors (no daemon, no real server) shows in the timeline. */
@Tag("netns")
class AddressMonitorObserverTest {
    @Test
    void seesTheVipWhereTheKernelHasItFromTheStartAndAsItMoves() {
        assumeTrue(Privileges.netnsAvailable(), () -> "skipped: " + Privileges.netnsUnavailableReason().orElse(""));
        String prefix;
        List<TimelineEvent> events;
        try (NetnsLab n = NetnsLab.create(NetnsLab.uniquePrefix("ld"))) {
            prefix = n.prefix();
            LabTopology t = TopologyBuilder.build(n, Lab.dr(1));
            String vip = AddressPlan.VIP4 + "/24";
            n.exec(t.director(1), "ip", "addr", "add", vip, "dev", "eth0", "label", AddressPlan.VIP_LABEL);
            Timeline timeline = new Timeline();
            try (AddressMonitorObserver observer = AddressMonitorObserver.forLab(t)) {
                observer.start(timeline);
                // start() returns once both monitors have subscribed: the changes right after it are seen.
                n.exec(t.director(1), "ip", "addr", "del", vip, "dev", "eth0");
                n.exec(t.director(2), "ip", "addr", "add", vip, "dev", "eth0", "label", AddressPlan.VIP_LABEL);
                Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> timeline.events().size() >= 4);
            }
            events = timeline.events();
        }
        assertThat(Shell.run("ip", "netns", "list").stdout()).doesNotContain(prefix + "-");

        List<VipAddress> vip = events.stream().map(VipAddress.class::cast).toList();
        assertThat(vip.subList(0, 2)).extracting(VipAddress::node, VipAddress::present)
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("dir1", true),
                        org.assertj.core.groups.Tuple.tuple("dir2", false));
        assertThat(vip.subList(2, vip.size())).extracting(VipAddress::node, VipAddress::present)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("dir1", false),
                        org.assertj.core.groups.Tuple.tuple("dir2", true));
    }

    @Test
    void aMonitorIsSubscribedOnceItsRouteSocketHasJoinedAGroup() {
        String table = """
                sk               Eth Pid        Groups   Rmem     Wmem     Dump  Locks    Drops    Inode
                00000000668a5fc5 0   0          00000000 0        0        0     2        0        4
                00000000211cb13b 0   10118      00000000 0        0        0     2        0        24645203
                000000007082f016 4   10118      00000001 0        0        0     2        0        477
                """;
        // Bound but not joined; a socket of another protocol (4) joined: neither counts.
        assertThat(AddressMonitorObserver.subscribed(table, 10118)).isFalse();
        assertThat(AddressMonitorObserver.subscribed(table.replace("10118      00000000", "10118      00000110"), 10118)).isTrue();
        assertThat(AddressMonitorObserver.subscribed(table.replace("10118      00000000", "10118      00000110"), 10119)).isFalse();
    }
}
