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
                // ip monitor subscribes asynchronously; give it a moment before the first change.
                sleep(300);
                n.exec(t.director(1), "ip", "addr", "del", vip, "dev", "eth0");
                n.exec(t.director(2), "ip", "addr", "add", vip, "dev", "eth0", "label", AddressPlan.VIP_LABEL);
                Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> timeline.events().size() >= 4);
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

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
