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
                // ip monitor subscribes asynchronously (a process start, slow on a loaded machine): wait until both
                // namespaces show its rtnetlink socket bound to multicast groups, rather than sleeping and hoping.
                for (String ns : List.of(t.director(1), t.director(2))) {
                    Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20))
                            .until(() -> monitorSubscribed(n.exec(ns, "cat", "/proc/net/netlink").stdout()));
                }
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

    /** Whether /proc/net/netlink lists a NETLINK_ROUTE socket (Eth 0) of a process (Pid != 0) joined to some group. */
    static boolean monitorSubscribed(String procNetNetlink) {
        for (String line : procNetNetlink.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length >= 4 && f[1].equals("0") && !f[2].equals("0") && f[3].matches("[0-9a-fA-F]{8}") && !f[3].equals("00000000")) {
                return true;
            }
        }
        return false;
    }
}
