package org.lvsha.vrrp.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.lvsha.vrrp.node.Cluster.MS;
import static org.lvsha.vrrp.node.Cluster.S;
import static org.lvsha.vrrp.node.Cluster.ip;
import static org.lvsha.vrrp.node.Cluster.vip;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.lvsha.vrrp.codec.AdvertTemplate;
import org.lvsha.vrrp.codec.IpFacts;
import org.lvsha.vrrp.codec.RejectReason;
import org.lvsha.vrrp.codec.VrrpCodec;
import org.lvsha.vrrp.config.InstanceConfig;
import org.lvsha.vrrp.config.NodeConfig;
import org.lvsha.vrrp.config.SyncGroupConfig;
import org.lvsha.vrrp.config.TrackConfig;
import org.lvsha.vrrp.notify.TransitionEvent;
import org.lvsha.vrrp.proto.MasterDownInterval;
import org.lvsha.vrrp.proto.SkewTime;
import org.lvsha.vrrp.proto.State;
import org.lvsha.vrrp.track.TrackSample;

/** Two or three nodes on an in-memory network and a virtual clock: timings are asserted to the nanosecond. */
class VrrpNodeTest {
    static final String VIP = "203.0.113.100";
    static final String DIP = "192.0.2.254";

    static InstanceConfig vipInstance(String host, int priority) {
        return InstanceConfig.v3("vip", 51, "eth0", ip("203.0.113." + host), priority, List.of(vip("eth0", VIP, "eth0:0")));
    }

    static InstanceConfig dipInstance(String host, int priority) {
        return InstanceConfig.v3("dip", 52, "eth1", ip("192.0.2." + host), priority, List.of(vip("eth1", DIP, "eth1:0")));
    }

    static NodeConfig single(InstanceConfig i) {
        return new NodeConfig(List.of(i), List.of());
    }

    static NodeConfig grouped(String host, int priority, List<TrackConfig> dipTracks) {
        return new NodeConfig(List.of(vipInstance(host, priority), dipInstance(host, priority).withTracks(dipTracks)),
                List.of(new SyncGroupConfig("lb", List.of("vip", "dip"), null)));
    }

    static long mdi(int priority) {
        return MasterDownInterval.nanos(3, priority, 100);
    }

    static long skew(int priority) {
        return SkewTime.nanos(3, priority, 100);
    }

    /** A (priority 200, .2) and B (priority 100, .3), both started at t0; A is master after its Master_Down_Interval. */
    static Cluster pair(NodeConfig a, NodeConfig b) {
        Cluster c = new Cluster();
        c.add("A", a);
        c.add("B", b);
        c.start("A");
        c.start("B");
        return c;
    }

    @Test
    void higherPriorityWinsTheElectionAfterItsMasterDownInterval() {
        Cluster c = pair(single(vipInstance("2", 200)), single(vipInstance("3", 100)));
        long t0 = c.now();
        c.runUntil(t0 + mdi(200) + S / 2);
        assertThat(c.addresses.get("A").announcements).isEqualTo(5); // first burst; the second is due 5 s later
        c.runFor(10 * S);
        assertThat(c.state("A", "vip")).isEqualTo(State.MASTER);
        assertThat(c.state("B", "vip")).isEqualTo(State.BACKUP);
        assertThat(c.enteredAt("A", "vip", State.MASTER)).isEqualTo(t0 + mdi(200));
        assertThat(c.addresses.get("A").has(VIP)).isTrue();
        assertThat(c.addresses.get("B").has(VIP)).isFalse();
        assertThat(c.nodes.get("B").status("vip").masterAddress()).isEqualTo(ip("203.0.113.2"));
        assertThat(c.addresses.get("A").announcements).isEqualTo(10);
    }

    @Test
    void backupTakesOverExactlyMasterDownIntervalAfterTheCrashedMastersLastAdvert() {
        Cluster c = pair(single(vipInstance("2", 200)), single(vipInstance("3", 100)));
        c.runFor(10 * S + 500 * MS);
        c.net.setReachable("A", false); // kill -9: no goodbye
        c.runFor(10 * S);
        long lastHeard = c.lastAdvertFrom("A", 51);
        assertThat(c.state("B", "vip")).isEqualTo(State.MASTER);
        assertThat(c.enteredAt("B", "vip", State.MASTER)).isEqualTo(lastHeard + mdi(100));
        assertThat(mdi(100)).isEqualTo(3_609_375_000L);
        assertThat(c.addresses.get("B").lastTime("add", VIP)).isEqualTo(lastHeard + mdi(100));
    }

    @Test
    void gracefulStopHandsOverAfterSkewTimeViaPriorityZero() {
        Cluster c = pair(single(vipInstance("2", 200)), single(vipInstance("3", 100)));
        c.runFor(10 * S + 500 * MS);
        long stop = c.now();
        c.nodes.get("A").shutdown();
        c.runFor(5 * S);
        assertThat(c.state("A", "vip")).isEqualTo(State.INITIALIZE);
        assertThat(c.enteredAt("B", "vip", State.MASTER)).isEqualTo(stop + skew(100));
        assertThat(c.addresses.get("A").lastTime("remove", VIP)).isEqualTo(stop);
        assertThat(c.nodes.get("A").counters().priorityZeroSent()).isEqualTo(1);
        assertThat(c.nodes.get("B").counters().priorityZeroReceived()).isEqualTo(1);
        assertThat(c.events.get("A").events().get(c.events.get("A").events().size() - 1).hookState()).isEqualTo("STOP");
    }

    @Test
    void higherPriorityNodeStartedLaterPreemptsAfterItsMasterDownInterval() {
        Cluster c = new Cluster();
        c.add("A", single(vipInstance("2", 200)));
        c.add("B", single(vipInstance("3", 100)));
        c.start("B");
        c.runFor(10 * S + 500 * MS);
        long startA = c.now();
        c.start("A");
        c.runFor(10 * S);
        assertThat(c.enteredAt("A", "vip", State.MASTER)).isEqualTo(startA + mdi(200));
        assertThat(c.state("B", "vip")).isEqualTo(State.BACKUP);
        assertThat(c.enteredAt("B", "vip", State.BACKUP)).isEqualTo(startA + mdi(200));
        assertThat(c.addresses.get("B").has(VIP)).isFalse();
    }

    @Test
    void higherPriorityNodeWithoutPreemptLeavesTheLowerMasterAlone() {
        Cluster c = new Cluster();
        c.add("A", single(vipInstance("2", 200).withPreempt(false, Duration.ZERO)));
        c.add("B", single(vipInstance("3", 100)));
        c.start("B");
        c.runFor(10 * S);
        c.start("A");
        c.runFor(60 * S);
        assertThat(c.state("A", "vip")).isEqualTo(State.BACKUP);
        assertThat(c.state("B", "vip")).isEqualTo(State.MASTER);
    }

    @Test
    void preemptDelayHoldsOffPreemptionAfterStartup() {
        Cluster c = new Cluster();
        c.add("A", single(vipInstance("2", 200).withPreempt(true, Duration.ofSeconds(10))));
        c.add("B", single(vipInstance("3", 100)));
        c.start("B");
        c.runFor(10 * S + 500 * MS);
        long startA = c.now();
        c.start("A");
        c.runUntil(startA + 10 * S);
        assertThat(c.state("A", "vip")).isEqualTo(State.BACKUP);
        c.runFor(10 * S);
        long masterAt = c.enteredAt("A", "vip", State.MASTER);
        // B advertises every second from its takeover; the last one A accepted is the last before startA + 10 s.
        long bMaster = c.enteredAt("B", "vip", State.MASTER);
        long lastAccepted = bMaster + ((startA + 10 * S - bMaster) / S) * S;
        assertThat(masterAt).isEqualTo(lastAccepted + mdi(200));
    }

    @Test
    void splitBrainHealsAndTheLowerMasterYieldsWithinOneAdvertInterval() {
        Cluster c = pair(single(vipInstance("2", 200)), single(vipInstance("3", 100)));
        c.runFor(10 * S + 500 * MS);
        c.net.setReachable("A", false);
        c.runFor(10 * S);
        assertThat(c.state("A", "vip")).isEqualTo(State.MASTER);
        assertThat(c.state("B", "vip")).isEqualTo(State.MASTER); // both hold the VIP: split brain
        int announcedBefore = c.addresses.get("A").announcements;
        long heal = c.now();
        c.net.setReachable("A", true);
        c.runFor(S);
        assertThat(c.state("B", "vip")).isEqualTo(State.BACKUP);
        assertThat(c.enteredAt("B", "vip", State.BACKUP)).isBetween(heal, heal + S);
        assertThat(c.addresses.get("B").has(VIP)).isFalse();
        assertThat(c.addresses.get("A").has(VIP)).isTrue();
        assertThat(c.addresses.get("A").announcements).isGreaterThan(announcedBefore); // the winner re-announced
    }

    @Test
    void equalPrioritySplitBrainIsWonByTheHigherAddress() {
        Cluster c = new Cluster();
        c.add("A", single(vipInstance("2", 100)));
        c.add("B", single(vipInstance("3", 100)));
        c.net.setReachable("A", false);
        c.start("A");
        c.start("B");
        c.runFor(5 * S);
        assertThat(c.state("A", "vip")).isEqualTo(State.MASTER);
        assertThat(c.state("B", "vip")).isEqualTo(State.MASTER);
        c.net.setReachable("A", true);
        c.runFor(2 * S);
        assertThat(c.state("A", "vip")).isEqualTo(State.BACKUP);
        assertThat(c.state("B", "vip")).isEqualTo(State.MASTER);
    }

    @Test
    void ownerWithPriority255TakesOverAtOnceAndIgnoresOtherAdverts() {
        Cluster c = new Cluster();
        c.add("A", single(vipInstance("2", 255)));
        c.add("B", single(vipInstance("3", 254)));
        c.start("B");
        c.runFor(10 * S);
        long startA = c.now();
        c.start("A");
        c.runFor(3 * S);
        assertThat(c.enteredAt("A", "vip", State.MASTER)).isEqualTo(startA);
        assertThat(c.enteredAt("B", "vip", State.BACKUP)).isEqualTo(startA);
        byte[] fromB = new byte[12];
        VrrpCodec.encode(new AdvertTemplate(3, 51, 100, null, List.of(ip(VIP)), ip("203.0.113.3")), 254,
                VrrpTransport.GROUP_V4.getAddress(), fromB, 0);
        c.nodes.get("A").offer(new ReceivedDatagram("eth0", new IpFacts(ip("203.0.113.3"), VrrpTransport.GROUP_V4, 255), fromB, 0, 12));
        c.runFor(S);
        assertThat(c.nodes.get("A").counters().rejectedCount(RejectReason.OWNER_DISCARD)).isEqualTo(1);
        assertThat(c.state("A", "vip")).isEqualTo(State.MASTER);
    }

    @Test
    void plannedSwitchoverIsMakeBeforeBreakAndDoesNotFlapBack() {
        Cluster c = pair(single(vipInstance("2", 200)), single(vipInstance("3", 100)));
        c.runFor(10 * S + 500 * MS);
        long t = c.now();
        c.nodes.get("A").switchover("vip");
        c.runFor(S);
        long bAdded = c.addresses.get("B").lastTime("add", VIP);
        long aRemoved = c.addresses.get("A").lastTime("remove", VIP);
        assertThat(bAdded).isEqualTo(t + skew(100));
        assertThat(aRemoved).isGreaterThanOrEqualTo(bAdded); // never a moment without the VIP
        assertThat(c.state("A", "vip")).isEqualTo(State.BACKUP);
        c.runFor(30 * S);
        assertThat(c.state("B", "vip")).isEqualTo(State.MASTER);
        assertThat(c.state("A", "vip")).isEqualTo(State.BACKUP);
    }

    @Test
    void syncGroupElectsAndFailsOverVipAndDipTogether() {
        Cluster c = pair(grouped("2", 200, List.of()), grouped("3", 100, List.of()));
        long t0 = c.now();
        c.runFor(10 * S + 500 * MS);
        assertThat(c.enteredAt("A", "vip", State.MASTER)).isEqualTo(t0 + mdi(200));
        assertThat(c.enteredAt("A", "dip", State.MASTER)).isEqualTo(t0 + mdi(200));
        assertThat(c.addresses.get("A").has(VIP) && c.addresses.get("A").has(DIP)).isTrue();
        c.net.setReachable("A", false);
        c.runFor(10 * S);
        long lastHeard = c.lastAdvertFrom("A", 51);
        assertThat(c.enteredAt("B", "vip", State.MASTER)).isEqualTo(lastHeard + mdi(100));
        assertThat(c.enteredAt("B", "dip", State.MASTER)).isEqualTo(lastHeard + mdi(100));
        assertThat(c.addresses.get("B").has(VIP) && c.addresses.get("B").has(DIP)).isTrue();
        List<TransitionEvent> groupEvents = c.events.get("B").events().stream().filter(e -> e.type().equals("GROUP")).toList();
        assertThat(groupEvents).extracting(TransitionEvent::to).containsExactly(State.BACKUP, State.MASTER);
    }

    @Test
    void syncGroupMemberFaultTakesTheWholeGroupToFaultAndThePeerTakesBothAtSkewTime() {
        List<TrackConfig> linkFault = List.of(new TrackConfig.Interface("eth1", 0));
        Cluster c = pair(grouped("2", 200, linkFault), grouped("3", 100, linkFault));
        c.runFor(10 * S + 500 * MS);
        long t = c.now();
        c.nodes.get("A").trackSample(TrackSample.of("dip", 0, false));
        c.runFor(5 * S);
        assertThat(c.state("A", "dip")).isEqualTo(State.FAULT);
        assertThat(c.state("A", "vip")).isEqualTo(State.FAULT);
        assertThat(c.addresses.get("A").has(VIP) || c.addresses.get("A").has(DIP)).isFalse();
        assertThat(c.enteredAt("B", "vip", State.MASTER)).isEqualTo(t + skew(100));
        assertThat(c.enteredAt("B", "dip", State.MASTER)).isEqualTo(t + skew(100));
        // recovery: A comes back as backup and, having the higher priority, preempts both after Master_Down_Interval
        long back = c.now();
        c.nodes.get("A").trackSample(TrackSample.of("dip", 0, true));
        c.runFor(10 * S);
        assertThat(c.enteredAt("A", "vip", State.MASTER)).isEqualTo(back + mdi(200));
        assertThat(c.enteredAt("A", "dip", State.MASTER)).isEqualTo(back + mdi(200));
        assertThat(c.state("B", "vip")).isEqualTo(State.BACKUP);
        assertThat(c.state("B", "dip")).isEqualTo(State.BACKUP);
    }

    @Test
    void masterLosingItsOutsideLinkIsReplacedWithoutWaitingTheOutsideMembersMasterDownInterval() {
        // The drill's linkdown: A's VIP instance tracks eth0 and faults with it; the group's priority 0 reaches B
        // only on eth1. B's DIP member takes Skew_Time; B's VIP member waits only until A's next VIP advert is
        // overdue by half an interval (plus Skew_Time), not its whole Master_Down_Interval.
        List<TrackConfig> eth0Fault = List.of(new TrackConfig.Interface("eth0", 0));
        NodeConfig a = new NodeConfig(List.of(vipInstance("2", 200).withTracks(eth0Fault), dipInstance("2", 200)),
                List.of(new SyncGroupConfig("lb", List.of("vip", "dip"), null)));
        NodeConfig b = new NodeConfig(List.of(vipInstance("3", 100).withTracks(eth0Fault), dipInstance("3", 100)),
                List.of(new SyncGroupConfig("lb", List.of("vip", "dip"), null)));
        Cluster c = pair(a, b);
        c.runFor(10 * S + 500 * MS);
        long lastVip = c.lastAdvertFrom("A", 51);
        long t = c.now();
        c.net.setLink("A", "eth0", false);
        c.nodes.get("A").trackSample(TrackSample.of("vip", 0, false));
        c.runFor(5 * S);
        assertThat(c.state("A", "vip")).isEqualTo(State.FAULT);
        assertThat(c.state("A", "dip")).isEqualTo(State.FAULT);
        long expected = Math.max(t, lastVip + 1500 * MS) + skew(100);
        assertThat(expected).isLessThan(lastVip + mdi(100));
        assertThat(c.enteredAt("B", "vip", State.MASTER)).isEqualTo(expected);
        assertThat(c.enteredAt("B", "dip", State.MASTER)).isEqualTo(expected);
        assertThat(c.addresses.get("B").has(VIP) && c.addresses.get("B").has(DIP)).isTrue();
    }

    @Test
    void syncGroupDoesNotSplitWhenOnlyOneMembersAdvertsAreLost() {
        Cluster c = pair(grouped("2", 200, List.of()), grouped("3", 100, List.of()));
        c.runFor(10 * S);
        c.net.setLink("A", "eth1", false); // the inside segment loses A's DIP adverts, the outside still hears A
        c.runFor(20 * S);
        assertThat(c.state("B", "vip")).isEqualTo(State.BACKUP);
        assertThat(c.state("B", "dip")).isEqualTo(State.BACKUP);
        assertThat(c.nodes.get("B").statuses().get("dip").state()).isEqualTo(State.BACKUP);
        assertThat(c.addresses.get("B").has(DIP)).isFalse();
    }

    @Test
    void syncGroupMemberLosingMastershipTakesItsSiblingToBackup() {
        Cluster c = pair(grouped("2", 200, List.of()), grouped("3", 100, List.of()));
        c.runFor(10 * S + 500 * MS);
        c.net.setReachable("A", false);
        c.runFor(10 * S);
        assertThat(c.state("B", "vip")).isEqualTo(State.MASTER);
        assertThat(c.state("B", "dip")).isEqualTo(State.MASTER);
        c.net.setLink("A", "eth1", false); // only the outside heals: B's DIP instance never hears A's
        c.net.setReachable("A", true);
        c.runFor(10 * S);
        assertThat(c.state("B", "vip")).isEqualTo(State.BACKUP);
        assertThat(c.state("B", "dip")).isEqualTo(State.BACKUP);
        assertThat(c.addresses.get("B").has(DIP)).isFalse();
        TransitionEvent dipToBackup = c.events.get("B").events().stream()
                .filter(e -> e.name().equals("dip") && e.to() == State.BACKUP && e.from() == State.MASTER).findFirst().orElseThrow();
        assertThat(dipToBackup.reason()).isEqualTo(org.lvsha.vrrp.proto.TransitionReason.SYNC_GROUP);
        List<TransitionEvent> all = c.events.get("B").events();
        for (int k = 1; k < all.size(); k++) {
            assertThat(all.get(k).sequence()).isEqualTo(all.get(k - 1).sequence() + 1);
        }
        assertThat(all.get(all.size() - 1).type()).isEqualTo("GROUP"); // the group reports after its members
    }

    @Test
    void syncGroupSwitchoverMovesVipAndDipWithoutAGap() {
        Cluster c = pair(grouped("2", 200, List.of()), grouped("3", 100, List.of()));
        c.runFor(10 * S + 500 * MS);
        long t = c.now();
        c.nodes.get("A").switchover("lb");
        c.runFor(20 * S);
        for (String addr : List.of(VIP, DIP)) {
            assertThat(c.addresses.get("B").lastTime("add", addr)).isEqualTo(t + skew(100));
            assertThat(c.addresses.get("A").lastTime("remove", addr)).isGreaterThanOrEqualTo(t + skew(100));
            assertThat(c.addresses.get("B").has(addr)).isTrue();
            assertThat(c.addresses.get("A").has(addr)).isFalse();
        }
        assertThat(c.state("A", "vip")).isEqualTo(State.BACKUP);
        assertThat(c.state("A", "dip")).isEqualTo(State.BACKUP);
    }

    @Test
    void trackedWeightLowersPriorityAndTheHigherBackupPreempts() {
        InstanceConfig a = vipInstance("2", 200).withTracks(List.of(new TrackConfig.Interface("eth9", -150)));
        Cluster c = pair(single(a), single(vipInstance("3", 100)));
        c.runFor(10 * S + 500 * MS);
        long t = c.now();
        c.nodes.get("A").trackSample(TrackSample.of("vip", 0, false));
        c.runFor(10 * S);
        assertThat(c.nodes.get("A").status("vip").priority()).isEqualTo(50);
        assertThat(c.state("B", "vip")).isEqualTo(State.MASTER);
        // A advertised 50 at once; B discards lower-priority adverts and preempts one Master_Down_Interval
        // after the last 200-priority advert it accepted.
        long last200 = t - 500 * MS + 218_750_000L; // A's adverts tick at t0 + 3.21875 s + k s
        assertThat(c.enteredAt("B", "vip", State.MASTER)).isEqualTo(last200 + mdi(100));
    }

    @Test
    void malformedAndForeignDatagramsAreCountedAndChangeNothing() {
        Cluster c = pair(single(vipInstance("2", 200)), single(vipInstance("3", 100)));
        c.runFor(10 * S);
        VrrpNode b = c.nodes.get("B");
        IpFacts fromA = new IpFacts(ip("203.0.113.2"), VrrpTransport.GROUP_V4, 255);
        byte[] good = new byte[12];
        VrrpCodec.encode(new AdvertTemplate(3, 51, 100, null, List.of(ip(VIP)), ip("203.0.113.2")), 255,
                VrrpTransport.GROUP_V4.getAddress(), good, 0);
        byte[] otherVrid = new byte[12];
        VrrpCodec.encode(new AdvertTemplate(3, 99, 100, null, List.of(ip(VIP)), ip("203.0.113.2")), 255,
                VrrpTransport.GROUP_V4.getAddress(), otherVrid, 0);
        byte[] corrupt = good.clone();
        corrupt[9] ^= 1;
        b.offer(new ReceivedDatagram("eth0", new IpFacts(fromA.source(), fromA.destination(), 254), good, 0, 12));
        b.offer(new ReceivedDatagram("eth0", fromA, corrupt, 0, 12));
        b.offer(new ReceivedDatagram("eth0", fromA, good, 0, 7));
        b.offer(new ReceivedDatagram("eth0", fromA, otherVrid, 0, 12));
        b.offer(new ReceivedDatagram("eth1", fromA, good, 0, 12)); // right VRID, wrong interface
        c.runFor(S);
        assertThat(b.counters().rejectedCount(RejectReason.BAD_TTL)).isEqualTo(1);
        assertThat(b.counters().rejectedCount(RejectReason.BAD_CHECKSUM)).isEqualTo(1);
        assertThat(b.counters().rejectedCount(RejectReason.TRUNCATED)).isEqualTo(1);
        assertThat(b.counters().rejectedCount(RejectReason.WRONG_VRID)).isEqualTo(2);
        assertThat(c.state("B", "vip")).isEqualTo(State.BACKUP);
        assertThat(b.status("vip").masterPriority()).isEqualTo(200); // the 255 in the bad ones never reached the machine
        assertThat(b.counters().receivedOk()).isEqualTo(b.counters("vip").receivedOk()).isPositive();
    }

    @Test
    void addressListMismatchIsCountedButTheAdvertStillCounts() {
        InstanceConfig other = InstanceConfig.v3("vip", 51, "eth0", ip("203.0.113.3"), 100, List.of(vip("eth0", "203.0.113.101", null)));
        Cluster c = pair(single(vipInstance("2", 200)), single(other));
        c.runFor(10 * S);
        assertThat(c.state("B", "vip")).isEqualTo(State.BACKUP);
        assertThat(c.nodes.get("B").counters().rejectedCount(RejectReason.ADDRESS_LIST_MISMATCH)).isPositive();
    }

    @Test
    void v2PairWithPasswordElectsAndAWrongPasswordIsRejected() {
        Cluster ok = pair(single(vipInstance("2", 200).asV2("s3cret")), single(vipInstance("3", 100).asV2("s3cret")));
        ok.runFor(10 * S);
        assertThat(ok.state("A", "vip")).isEqualTo(State.MASTER);
        assertThat(ok.state("B", "vip")).isEqualTo(State.BACKUP);
        assertThat(ok.enteredAt("A", "vip", State.MASTER) - 1_000 * S).isEqualTo(3 * S + SkewTime.nanos(2, 200, 100));

        Cluster bad = pair(single(vipInstance("2", 200).asV2("s3cret")), single(vipInstance("3", 100).asV2("wrong")));
        bad.runFor(10 * S);
        assertThat(bad.nodes.get("B").counters().rejectedCount(RejectReason.AUTH_MISMATCH)).isPositive();
        assertThat(bad.state("B", "vip")).isEqualTo(State.MASTER);
    }

    @Test
    void v2IntervalMismatchIsRejected() {
        Cluster c = pair(single(vipInstance("2", 200).asV2(null)), single(vipInstance("3", 100).withInterval(200).asV2(null)));
        c.runFor(10 * S);
        assertThat(c.nodes.get("B").counters().rejectedCount(RejectReason.INTERVAL_MISMATCH)).isPositive();
    }

    @Test
    void v3BackupAdoptsTheMastersFasterInterval() {
        Cluster c = pair(single(vipInstance("2", 200).withInterval(10)), single(vipInstance("3", 100)));
        c.runFor(10 * S);
        assertThat(c.nodes.get("B").status("vip").masterAdverIntervalCentis()).isEqualTo(10);
        c.net.setReachable("A", false);
        long cut = c.now();
        c.runFor(S);
        assertThat(c.enteredAt("B", "vip", State.MASTER)).isEqualTo(c.lastAdvertFrom("A", 51) + MasterDownInterval.nanos(3, 100, 10));
        assertThat(c.enteredAt("B", "vip", State.MASTER) - cut).isLessThan(400 * MS);
    }

    @Test
    void ipv6InstancesElectOverFf02_12() {
        InstanceConfig a = InstanceConfig.v3("vip6", 51, "eth0", ip("fe80::2"), 200, List.of(vip("eth0", "2001:db8:0:1::100", null)));
        InstanceConfig b = InstanceConfig.v3("vip6", 51, "eth0", ip("fe80::3"), 100, List.of(vip("eth0", "2001:db8:0:1::100", null)));
        Cluster c = pair(single(a), single(b));
        c.runFor(10 * S);
        assertThat(c.state("A", "vip6")).isEqualTo(State.MASTER);
        assertThat(c.state("B", "vip6")).isEqualTo(State.BACKUP);
        assertThat(c.net.sent().get(0).destination()).isEqualTo(VrrpTransport.GROUP_V6);
    }

    @Test
    void unicastPeersReceiveAdvertsWithoutMulticast() {
        InstanceConfig a = vipInstance("2", 200).withUnicastPeers(List.of(ip("203.0.113.3")));
        InstanceConfig b = vipInstance("3", 100).withUnicastPeers(List.of(ip("203.0.113.2")));
        Cluster c = pair(single(a), single(b));
        c.runFor(10 * S);
        assertThat(c.state("A", "vip")).isEqualTo(State.MASTER);
        assertThat(c.state("B", "vip")).isEqualTo(State.BACKUP);
        assertThat(c.net.sent()).allMatch(s -> s.destination().equals(ip("203.0.113.3")));
    }

    @Test
    void aThirdNodeWaitsItsTurnBehindTheSecond() {
        Cluster c = new Cluster();
        c.add("A", single(vipInstance("2", 200)));
        c.add("B", single(vipInstance("3", 150)));
        c.add("C", single(vipInstance("4", 100)));
        c.nodes.keySet().forEach(c::start);
        c.runFor(10 * S + 500 * MS);
        c.net.setReachable("A", false);
        c.runFor(10 * S);
        assertThat(c.state("B", "vip")).isEqualTo(State.MASTER);
        assertThat(c.state("C", "vip")).isEqualTo(State.BACKUP);
        assertThat(c.enteredAt("B", "vip", State.MASTER)).isEqualTo(c.lastAdvertFrom("A", 51) + mdi(150));
    }

    @Test
    void staleAddressesFromACrashedRunAreRemovedOnStart() {
        Cluster c = new Cluster();
        c.add("B", single(vipInstance("3", 100)));
        c.addresses.get("B").add(vip("eth0", VIP, "eth0:0"));
        c.start("B");
        assertThat(c.addresses.get("B").has(VIP)).isFalse();
    }

    @Test
    void nodeStatusExposesAcceptMode() {
        InstanceConfig accept = new InstanceConfig("vip", 51, 3, "eth0", ip("203.0.113.2"), List.of(vip("eth0", VIP, null)),
                100, 100, true, Duration.ZERO, true, null, List.of(), List.of(), null, null);
        Cluster c = new Cluster();
        c.add("A", single(accept));
        assertThat(c.nodes.get("A").status("vip").acceptMode()).isTrue();
    }
}
