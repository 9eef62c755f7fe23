package org.lvsha.core.platform.raw;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.lvsha.core.lab.NetnsLab;
import org.lvsha.core.lab.Privileges;
import org.lvsha.core.platform.Native;
import org.lvsha.core.platform.NetworkNamespace;
import org.lvsha.core.platform.rtnl.InterfaceAddress;
import org.lvsha.core.platform.rtnl.RtNetlink;

@Tag("netns")
class RawIpSocketNetnsTest {
    private static final int RECEIVE_DEADLINE_MILLIS = 3_000;

    @BeforeEach
    void needsNetns() {
        assumeTrue(Privileges.netnsAvailable(), () -> "skipped: " + Privileges.netnsUnavailableReason().orElse(""));
    }

    /** Two hosts on a veth pair; IPv6 link-local addresses usable at once (no DAD wait). */
    private static void twoHosts(NetnsLab lab) {
        String a = lab.addHost("a");
        String b = lab.addHost("b");
        for (String ns : new String[] {a, b}) {
            lab.exec(ns, "sysctl", "-qw", "net.ipv6.conf.default.accept_dad=0", "net.ipv6.conf.all.accept_dad=0");
        }
        lab.link(a, "eth0", b, "eth0");
        lab.exec(a, "ip", "addr", "add", "203.0.113.2/24", "dev", "eth0");
        lab.exec(b, "ip", "addr", "add", "203.0.113.3/24", "dev", "eth0");
    }

    private static boolean receiveWithin(RawIpSocket s, ReceivedPacket into, int millis) {
        long deadline = System.nanoTime() + millis * 1_000_000L;
        while (System.nanoTime() < deadline) {
            if (s.receive(into)) {
                return true;
            }
            s.awaitReadable((int) Math.max(1, (deadline - System.nanoTime()) / 1_000_000L));
        }
        return s.receive(into);
    }

    private static String text(ReceivedPacket p) {
        ByteBuffer b = p.payload().duplicate();
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return new String(out, StandardCharsets.US_ASCII);
    }

    @Test
    void ipv4VrrpMulticastArrivesWithTtl255DestinationSourceAndInterface() throws Exception {
        try (NetnsLab lab = NetnsLab.create()) {
            twoHosts(lab);
            InetAddress group = InetAddress.getByName("224.0.0.18");
            try (RawIpSocket sender = NetworkNamespace.call(lab.ns("a"), () -> RawIpSocket.open(false, RawIpSocket.IPPROTO_VRRP, "eth0"));
                 RawIpSocket receiver = NetworkNamespace.call(lab.ns("b"), () -> RawIpSocket.open(false, RawIpSocket.IPPROTO_VRRP, "eth0"))) {
                receiver.joinGroup(group);
                sender.joinGroup(group); // to show loopback is off: the sender must not hear itself

                assertThat(sender.send(ByteBuffer.wrap("advert-v4".getBytes(StandardCharsets.US_ASCII)), sender.destination(group))).isTrue();
                ReceivedPacket p = new ReceivedPacket();
                assertThat(receiveWithin(receiver, p, RECEIVE_DEADLINE_MILLIS)).as("multicast advert received").isTrue();
                assertThat(text(p)).isEqualTo("advert-v4");
                assertThat(p.ttl()).isEqualTo(255);
                assertThat(p.destination()).isEqualTo(group);
                assertThat(p.source()).isEqualTo(InetAddress.getByName("203.0.113.2"));
                assertThat(p.ifIndex()).isEqualTo(receiver.ifIndex());
                assertThat(p.truncated()).isFalse();

                sender.send(ByteBuffer.wrap("unicast".getBytes(StandardCharsets.US_ASCII)), sender.destination(InetAddress.getByName("203.0.113.3")));
                assertThat(receiveWithin(receiver, p, RECEIVE_DEADLINE_MILLIS)).as("unicast advert received").isTrue();
                assertThat(text(p)).isEqualTo("unicast");
                assertThat(p.destination()).isEqualTo(InetAddress.getByName("203.0.113.3"));
                assertThat(p.ttl()).isEqualTo(255);

                assertThat(sender.receive(p)).as("multicast loop is off").isFalse();

                // After leaving the group, the receiver's interface filters the group out.
                receiver.leaveGroup(group);
                sender.send(ByteBuffer.wrap("after-leave".getBytes(StandardCharsets.US_ASCII)), sender.destination(group));
                sender.send(ByteBuffer.wrap("unicast-2".getBytes(StandardCharsets.US_ASCII)), sender.destination(InetAddress.getByName("203.0.113.3")));
                assertThat(receiveWithin(receiver, p, RECEIVE_DEADLINE_MILLIS)).isTrue();
                assertThat(text(p)).as("the multicast sent first never arrived; the unicast after it did").isEqualTo("unicast-2");
            }
        }
    }

    @Test
    void ipv6VrrpMulticastArrivesWithHopLimit255DestinationLinkLocalSourceAndInterface() throws Exception {
        try (NetnsLab lab = NetnsLab.create()) {
            twoHosts(lab);
            InetAddress group = InetAddress.getByName("ff02::12");
            InetAddress senderLinkLocal = NetworkNamespace.call(lab.ns("a"), () -> {
                try (RtNetlink rt = RtNetlink.open()) {
                    int eth0 = rt.link("eth0").orElseThrow().index();
                    return rt.addresses(Native.AF_INET6, eth0).stream()
                            .filter(x -> x.scope() == InterfaceAddress.RT_SCOPE_LINK).findFirst().orElseThrow().address();
                }
            });
            try (RawIpSocket sender = NetworkNamespace.call(lab.ns("a"), () -> RawIpSocket.open(true, RawIpSocket.IPPROTO_VRRP, "eth0"));
                 RawIpSocket receiver = NetworkNamespace.call(lab.ns("b"), () -> RawIpSocket.open(true, RawIpSocket.IPPROTO_VRRP, "eth0"))) {
                receiver.joinGroup(group);
                assertThat(sender.send(ByteBuffer.wrap("advert-v6".getBytes(StandardCharsets.US_ASCII)), sender.destination(group))).isTrue();
                ReceivedPacket p = new ReceivedPacket();
                assertThat(receiveWithin(receiver, p, RECEIVE_DEADLINE_MILLIS)).as("multicast advert received").isTrue();
                assertThat(text(p)).isEqualTo("advert-v6");
                assertThat(p.ttl()).as("hop limit").isEqualTo(255);
                assertThat(p.destination()).isEqualTo(group);
                assertThat(p.source()).isEqualTo(InetAddress.getByAddress(senderLinkLocal.getAddress()));
                assertThat(p.ifIndex()).isEqualTo(receiver.ifIndex());
            }
        }
    }

    @Test
    void ipv6ChecksumOffsetMakesTheKernelFillInAndVerifyTheVrrpV3Checksum() throws Exception {
        try (NetnsLab lab = NetnsLab.create()) {
            twoHosts(lab);
            InetAddress group = InetAddress.getByName("ff02::12");
            try (RawIpSocket plain = NetworkNamespace.call(lab.ns("a"), () -> RawIpSocket.open(true, RawIpSocket.IPPROTO_VRRP, "eth0"));
                 RawIpSocket summing = NetworkNamespace.call(lab.ns("a"), () -> RawIpSocket.open(true, RawIpSocket.IPPROTO_VRRP, "eth0"));
                 RawIpSocket receiver = NetworkNamespace.call(lab.ns("b"), () -> RawIpSocket.open(true, RawIpSocket.IPPROTO_VRRP, "eth0"))) {
                summing.setChecksumOffset(6);
                receiver.setChecksumOffset(6);
                receiver.joinGroup(group);
                byte[] advert = {0x31, 51, 100, 0, 0, 100, 0, 0}; // VRRPv3 header, checksum (bytes 6-7) zero
                plain.send(ByteBuffer.wrap(advert), plain.destination(group));     // wrong checksum: dropped by the kernel
                summing.send(ByteBuffer.wrap(advert), summing.destination(group)); // filled in by the kernel
                ReceivedPacket p = new ReceivedPacket();
                assertThat(receiveWithin(receiver, p, RECEIVE_DEADLINE_MILLIS)).isTrue();
                ByteBuffer got = p.payload();
                assertThat(got.remaining()).isEqualTo(8);
                assertThat(got.getShort(6)).as("checksum filled in").isNotZero();
                assertThat(receiver.receive(p)).as("the unsummed advert was dropped").isFalse();
            }
        }
    }

    @Test
    void aChosenSourceAddressIsUsedThroughSendmsgPktinfoForIpv4AndIpv6() throws Exception {
        try (NetnsLab lab = NetnsLab.create()) {
            twoHosts(lab);
            lab.exec(lab.ns("a"), "ip", "addr", "add", "203.0.113.50/24", "dev", "eth0");
            lab.exec(lab.ns("a"), "ip", "addr", "add", "2001:db8:0:1::2/64", "dev", "eth0", "nodad");
            for (String[] c : new String[][] {{"false", "224.0.0.18", "203.0.113.50", "203.0.113.2"}, {"true", "ff02::12", "2001:db8:0:1::2", null}}) {
                boolean v6 = Boolean.parseBoolean(c[0]);
                InetAddress group = InetAddress.getByName(c[1]);
                InetAddress chosen = InetAddress.getByName(c[2]);
                try (RawIpSocket sender = NetworkNamespace.call(lab.ns("a"), () -> RawIpSocket.open(v6, RawIpSocket.IPPROTO_VRRP, "eth0"));
                     RawIpSocket receiver = NetworkNamespace.call(lab.ns("b"), () -> RawIpSocket.open(v6, RawIpSocket.IPPROTO_VRRP, "eth0"))) {
                    receiver.joinGroup(group);
                    RawIpSocket.Destination to = sender.destination(group);
                    ReceivedPacket p = new ReceivedPacket();
                    sender.send(ByteBuffer.wrap(new byte[] {1}), to);
                    assertThat(receiveWithin(receiver, p, RECEIVE_DEADLINE_MILLIS)).isTrue();
                    assertThat(p.source()).as("kernel's choice").isNotEqualTo(chosen);
                    if (c[3] != null) {
                        assertThat(p.source()).isEqualTo(InetAddress.getByName(c[3]));
                    }

                    sender.setSourceAddress(chosen);
                    sender.send(ByteBuffer.wrap(new byte[] {2}), to);
                    assertThat(receiveWithin(receiver, p, RECEIVE_DEADLINE_MILLIS)).isTrue();
                    assertThat(p.payload().get(0)).isEqualTo((byte) 2);
                    assertThat(p.source()).isEqualTo(chosen);
                    assertThat(p.ttl()).isEqualTo(255);
                    assertThat(p.destination()).isEqualTo(group);
                }
            }
        }
    }

    @Test
    void sendingAndReceivingAdvertsAllocatesNothingPerPacket() throws Exception {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assumeTrue(threads.isThreadAllocatedMemorySupported(), "thread allocation accounting unavailable");
        try (NetnsLab lab = NetnsLab.create()) {
            twoHosts(lab);
            InetAddress group = InetAddress.getByName("224.0.0.18");
            try (RawIpSocket sender = NetworkNamespace.call(lab.ns("a"), () -> RawIpSocket.open(false, RawIpSocket.IPPROTO_VRRP, "eth0"));
                 RawIpSocket receiver = NetworkNamespace.call(lab.ns("b"), () -> RawIpSocket.open(false, RawIpSocket.IPPROTO_VRRP, "eth0"))) {
                receiver.joinGroup(group);
                RawIpSocket.Destination to = sender.destination(group);
                ByteBuffer advert = ByteBuffer.allocateDirect(40);
                ReceivedPacket p = new ReceivedPacket();
                int received = exchange(sender, receiver, to, advert, p, 3_000); // warm-up (JIT)
                assertThat(received).isPositive();

                long tid = Thread.currentThread().getId();
                long before = threads.getThreadAllocatedBytes(tid);
                received = exchange(sender, receiver, to, advert, p, 5_000);
                long allocated = threads.getThreadAllocatedBytes(tid) - before;
                assertThat(received).as("adverts received").isGreaterThan(1_000);
                assertThat(allocated).as("bytes allocated for 5000 sends and %d receives", received).isLessThan(5_000);

                sender.setSourceAddress(InetAddress.getByName("203.0.113.2")); // sendmsg path
                exchange(sender, receiver, to, advert, p, 3_000);
                before = threads.getThreadAllocatedBytes(tid);
                received = exchange(sender, receiver, to, advert, p, 5_000);
                allocated = threads.getThreadAllocatedBytes(tid) - before;
                assertThat(received).isGreaterThan(1_000);
                assertThat(allocated).as("bytes allocated for 5000 sendmsg sends and %d receives", received).isLessThan(5_000);
            }
        }
    }

    private static int exchange(RawIpSocket sender, RawIpSocket receiver, RawIpSocket.Destination to, ByteBuffer advert, ReceivedPacket p, int count) {
        int received = 0;
        for (int i = 0; i < count; i++) {
            sender.send(advert, to);
            while (receiver.receive(p)) {
                received++;
            }
        }
        return received;
    }
}
