package org.lvsha.core.platform.packet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.lvsha.core.lab.NetnsLab;
import org.lvsha.core.lab.Privileges;
import org.lvsha.core.platform.MacAddress;
import org.lvsha.core.platform.NetworkNamespace;
import org.lvsha.core.platform.rtnl.RtNetlink;

@Tag("netns")
class PacketSocketNetnsTest {
    /** IEEE 802 "local experimental" EtherTypes: nothing else on the link uses them. */
    private static final int EXPERIMENTAL_1 = 0x88B5;
    private static final int EXPERIMENTAL_2 = 0x88B6;

    @BeforeEach
    void needsNetns() {
        assumeTrue(Privileges.netnsAvailable(), () -> "skipped: " + Privileges.netnsUnavailableReason().orElse(""));
    }

    private static byte[] frame(MacAddress dst, int etherType, int marker) {
        ByteBuffer b = ByteBuffer.allocate(60);
        b.put(dst.bytes()).put(MacAddress.parse("02:00:5e:03:00:02").bytes()).putShort((short) etherType).put((byte) marker);
        return b.array();
    }

    @Test
    void bpfFilterLetsOnlyMatchingFramesThroughWhileAnUnfilteredSocketSeesThemAll() throws Exception {
        try (NetnsLab lab = NetnsLab.create()) {
            String a = lab.addHost("a");
            String b = lab.addHost("b");
            lab.link(a, "eth0", b, "eth0");
            int aIndex = NetworkNamespace.call(a, () -> {
                try (RtNetlink rt = RtNetlink.open()) {
                    return rt.link("eth0").orElseThrow().index();
                }
            });
            BpfProgram filter = BpfProgram.builder().half(12, EXPERIMENTAL_1).u8(14, 0x42).build();
            try (PacketSocket sender = NetworkNamespace.call(a, PacketSocket::openSender);
                 PacketSocket filtered = NetworkNamespace.call(b, () -> openOnEth0(filter));
                 PacketSocket everything = NetworkNamespace.call(b, () -> openOnEth0(BpfProgram.etherType(EXPERIMENTAL_1)))) {
                assertThat(sender.send(aIndex, frame(MacAddress.BROADCAST, EXPERIMENTAL_2, 0x42))).isTrue();
                assertThat(sender.send(aIndex, frame(MacAddress.BROADCAST, EXPERIMENTAL_1, 0x41))).isTrue();
                assertThat(sender.send(aIndex, frame(MacAddress.BROADCAST, EXPERIMENTAL_1, 0x42))).isTrue();

                // The control socket (EtherType filter only) sees both 0x88b5 frames; once it has, the
                // filtered socket has been offered them too.
                List<Integer> seen = receiveMarkers(everything, 2);
                assertThat(seen).containsExactly(0x41, 0x42);
                List<Integer> passed = receiveMarkers(filtered, 1);
                assertThat(passed).containsExactly(0x42);
                assertThat(filtered.lastPacketType()).isEqualTo(PacketSocket.PACKET_BROADCAST);
                assertThat(filtered.lastIfIndex()).isEqualTo(NetworkNamespace.call(b, () -> {
                    try (RtNetlink rt = RtNetlink.open()) {
                        return rt.link("eth0").orElseThrow().index();
                    }
                }));
                ByteBuffer extra = ByteBuffer.allocate(2048);
                assertThat(filtered.receive(extra)).as("nothing else got through").isEqualTo(-1);
            }
        }
    }

    private static PacketSocket openOnEth0(BpfProgram filter) {
        try (RtNetlink rt = RtNetlink.open()) {
            return PacketSocket.open(rt.link("eth0").orElseThrow().index(), EtherType.ETH_P_ALL, filter);
        }
    }

    private static List<Integer> receiveMarkers(PacketSocket s, int expected) {
        List<Integer> markers = new ArrayList<>();
        long deadline = System.nanoTime() + 3_000_000_000L;
        ByteBuffer buf = ByteBuffer.allocate(2048);
        while (markers.size() < expected && System.nanoTime() < deadline) {
            buf.clear();
            int n = s.receive(buf);
            if (n < 0) {
                s.socket().awaitReadable(50);
                continue;
            }
            assertThat(n).isGreaterThanOrEqualTo(15);
            markers.add(buf.get(14) & 0xff);
        }
        return markers;
    }
}
