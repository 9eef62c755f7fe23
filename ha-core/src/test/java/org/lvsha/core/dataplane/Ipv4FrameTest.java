package org.lvsha.core.dataplane;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;

import org.junit.jupiter.api.Test;

class Ipv4FrameTest {
    private final Ipv4Frame frame = new Ipv4Frame();

    private BadFrame parse(ByteBuffer b) {
        return frame.parse(b, 0, b.capacity(), false, false);
    }

    @Test
    void wellFormedTcpSynParsesWithItsFields() {
        ByteBuffer b = TestFrames.tcp(TestFrames.CLIENT, 40000, TestFrames.VIP, 80, Ipv4Frame.TCP_SYN, 0, 0);
        assertThat(parse(b)).isNull();
        assertThat(frame.protocol()).isEqualTo(6);
        assertThat(frame.sourceAddress()).isEqualTo(TestFrames.CLIENT);
        assertThat(frame.destinationAddress()).isEqualTo(TestFrames.VIP);
        assertThat(frame.sourcePort()).isEqualTo(40000);
        assertThat(frame.destinationPort()).isEqualTo(80);
        assertThat(frame.tcpFlags()).isEqualTo(Ipv4Frame.TCP_SYN);
        assertThat(frame.sourceMac()).isEqualTo(TestFrames.CLIENT_MAC);
        assertThat(frame.frameLength()).isEqualTo(54);
    }

    @Test
    void ethernetPaddingBeyondTheDatagramIsAccepted() {
        ByteBuffer small = TestFrames.udp(TestFrames.CLIENT, 5000, TestFrames.VIP, 53, 2);
        ByteBuffer padded = ByteBuffer.allocate(60);
        padded.put(0, small, 0, small.capacity());
        assertThat(frame.parse(padded, 0, 60, false, false)).isNull();
        assertThat(frame.frameLength()).isEqualTo(small.capacity());
    }

    @Test
    void truncatedFrame() {
        ByteBuffer b = TestFrames.tcp(TestFrames.CLIENT, 1, TestFrames.VIP, 80, Ipv4Frame.TCP_SYN, 0, 0);
        assertThat(frame.parse(b, 0, 30, false, false)).isEqualTo(BadFrame.TRUNCATED);
    }

    @Test
    void notIpv4() {
        ByteBuffer b = TestFrames.tcp(TestFrames.CLIENT, 1, TestFrames.VIP, 80, Ipv4Frame.TCP_SYN, 0, 0);
        b.putShort(12, (short) 0x86dd);
        assertThat(parse(b)).isEqualTo(BadFrame.NOT_IPV4);
        b.putShort(12, (short) 0x0800);
        b.put(14, (byte) 0x65);
        assertThat(parse(b)).isEqualTo(BadFrame.NOT_IPV4);
    }

    @Test
    void headerLengthUnderTwentyOrBeyondTheFrame() {
        ByteBuffer b = TestFrames.tcp(TestFrames.CLIENT, 1, TestFrames.VIP, 80, Ipv4Frame.TCP_SYN, 0, 0);
        b.put(14, (byte) 0x44);
        assertThat(parse(b)).isEqualTo(BadFrame.BAD_HEADER_LENGTH);
        b.put(14, (byte) 0x4f);
        assertThat(frame.parse(b, 0, 40, false, false)).isEqualTo(BadFrame.BAD_HEADER_LENGTH);
    }

    @Test
    void totalLengthWrong() {
        ByteBuffer b = TestFrames.tcp(TestFrames.CLIENT, 1, TestFrames.VIP, 80, Ipv4Frame.TCP_SYN, 0, 0);
        b.putShort(16, (short) 100);
        b.putShort(24, (short) 0);
        b.putShort(24, (short) InternetChecksum.finish(InternetChecksum.sum(b, 14, 20)));
        assertThat(parse(b)).isEqualTo(BadFrame.BAD_TOTAL_LENGTH);
        b.putShort(16, (short) 12);
        assertThat(parse(b)).isEqualTo(BadFrame.BAD_TOTAL_LENGTH);
    }

    @Test
    void badIpChecksum() {
        ByteBuffer b = TestFrames.tcp(TestFrames.CLIENT, 1, TestFrames.VIP, 80, Ipv4Frame.TCP_SYN, 0, 0);
        b.putShort(24, (short) (b.getShort(24) ^ 1));
        assertThat(parse(b)).isEqualTo(BadFrame.BAD_IP_CHECKSUM);
    }

    @Test
    void firstAndLaterFragments() {
        ByteBuffer b = TestFrames.udp(TestFrames.CLIENT, 1, TestFrames.VIP, 53, 16);
        b.putShort(20, (short) 0x2000); // MF
        TestFrames.fixChecksums(b);
        assertThat(parse(b)).isEqualTo(BadFrame.FRAGMENT);
        b.putShort(20, (short) 0x0003); // offset 24
        TestFrames.fixChecksums(b);
        assertThat(parse(b)).isEqualTo(BadFrame.FRAGMENT);
    }

    @Test
    void unknownProtocol() {
        ByteBuffer b = TestFrames.udp(TestFrames.CLIENT, 1, TestFrames.VIP, 53, 4);
        b.put(23, (byte) 47); // GRE
        b.putShort(24, (short) 0);
        b.putShort(24, (short) InternetChecksum.finish(InternetChecksum.sum(b, 14, 20)));
        assertThat(parse(b)).isEqualTo(BadFrame.UNKNOWN_PROTOCOL);
    }

    @Test
    void transportHeaderTruncated() {
        ByteBuffer tcp = TestFrames.tcp(TestFrames.CLIENT, 1, TestFrames.VIP, 80, Ipv4Frame.TCP_SYN, 0, 0);
        tcp.put(46, (byte) 0x40); // data offset 4
        assertThat(parse(tcp)).isEqualTo(BadFrame.L4_TRUNCATED);
        tcp.put(46, (byte) 0xf0); // data offset 60 > segment
        assertThat(parse(tcp)).isEqualTo(BadFrame.L4_TRUNCATED);
        ByteBuffer udp = TestFrames.udp(TestFrames.CLIENT, 1, TestFrames.VIP, 53, 4);
        udp.putShort(38, (short) 40); // UDP length beyond the datagram
        assertThat(parse(udp)).isEqualTo(BadFrame.L4_TRUNCATED);
        ByteBuffer shortTcp = TestFrames.udp(TestFrames.CLIENT, 1, TestFrames.VIP, 53, 4);
        shortTcp.put(23, (byte) 6); // 12 bytes of "TCP"
        shortTcp.putShort(24, (short) 0);
        shortTcp.putShort(24, (short) InternetChecksum.finish(InternetChecksum.sum(shortTcp, 14, 20)));
        assertThat(parse(shortTcp)).isEqualTo(BadFrame.L4_TRUNCATED);
    }

    @Test
    void badTransportChecksumUnlessTheKernelVerifiedIt() {
        ByteBuffer b = TestFrames.tcp(TestFrames.CLIENT, 1, TestFrames.VIP, 80, Ipv4Frame.TCP_ACK, 10, 0);
        b.putShort(50, (short) (b.getShort(50) ^ 0x100));
        assertThat(parse(b)).isEqualTo(BadFrame.BAD_L4_CHECKSUM);
        assertThat(frame.parse(b, 0, b.capacity(), false, true)).isNull();
    }

    @Test
    void udpWithoutChecksumIsAccepted() {
        ByteBuffer b = TestFrames.udp(TestFrames.CLIENT, 1, TestFrames.VIP, 53, 5);
        b.putShort(40, (short) 0);
        assertThat(parse(b)).isNull();
    }

    @Test
    void ipOptionsAreCountedButPass() {
        ByteBuffer b = TestFrames.tcp(TestFrames.CLIENT, 1234, TestFrames.VIP, 80, Ipv4Frame.TCP_SYN, 3, 8);
        BadFrame r = parse(b);
        assertThat(r).isEqualTo(BadFrame.IP_OPTIONS);
        assertThat(r.passes()).isTrue();
        assertThat(frame.sourcePort()).isEqualTo(1234);
        assertThat(frame.destinationPort()).isEqualTo(80);
    }

    @Test
    void partialChecksumFromOffloadIsCompletedInSoftware() {
        ByteBuffer b = TestFrames.tcp(TestFrames.CLIENT, 1, TestFrames.VIP, 80, Ipv4Frame.TCP_ACK, 33, 0);
        ByteBuffer expected = ByteBuffer.allocate(b.capacity()).put(0, b, 0, b.capacity());
        b.putShort(50, (short) 0x1234); // what CHECKSUM_PARTIAL leaves: not the final value
        assertThat(frame.parse(b, 0, b.capacity(), true, false)).isNull();
        assertThat(b).isEqualTo(expected);
    }

    @Test
    void natRewriteTowardsTheRealServerKeepsEveryChecksumValid() {
        for (int payload : new int[] {0, 1, 17, 1000}) {
            ByteBuffer b = TestFrames.tcp(TestFrames.CLIENT, 40000, TestFrames.VIP, 80, Ipv4Frame.TCP_SYN, payload, 0);
            assertThat(parse(b)).isNull();
            frame.setDestination(TestFrames.RIP, 8080);
            assertThat(b.getInt(30)).isEqualTo(TestFrames.RIP);
            assertThat(b.getShort(36) & 0xffff).isEqualTo(8080);
            assertThat(TestFrames.checksumsValid(b)).as("payload %d", payload).isTrue();
        }
    }

    @Test
    void natRewriteOfAReplyBackToTheVipKeepsEveryChecksumValid() {
        ByteBuffer tcp = TestFrames.tcp(TestFrames.RIP, 8080, TestFrames.CLIENT, 40000, Ipv4Frame.TCP_SYN | Ipv4Frame.TCP_ACK, 5, 0);
        assertThat(parse(tcp)).isNull();
        frame.setSource(TestFrames.VIP, 80);
        assertThat(TestFrames.checksumsValid(tcp)).isTrue();
        ByteBuffer udp = TestFrames.udp(TestFrames.RIP, 53, TestFrames.CLIENT, 5353, 9);
        assertThat(parse(udp)).isNull();
        frame.setSource(TestFrames.VIP, 5300);
        assertThat(TestFrames.checksumsValid(udp)).isTrue();
        assertThat(frame.parse(udp, 0, udp.capacity(), false, false)).isNull();
    }

    @Test
    void udpWithoutChecksumStaysWithoutOneAfterNat() {
        ByteBuffer b = TestFrames.udp(TestFrames.CLIENT, 1, TestFrames.VIP, 53, 5);
        b.putShort(40, (short) 0);
        assertThat(parse(b)).isNull();
        frame.setDestination(TestFrames.RIP, 53);
        assertThat(b.getShort(40)).isZero();
    }

    @Test
    void macRewrite() {
        ByteBuffer b = TestFrames.tcp(TestFrames.CLIENT, 1, TestFrames.VIP, 80, Ipv4Frame.TCP_SYN, 0, 0);
        assertThat(parse(b)).isNull();
        frame.setMacs(0x02005e02000bL, 0x02005e020002L);
        assertThat(frame.destinationMac()).isEqualTo(0x02005e02000bL);
        assertThat(frame.sourceMac()).isEqualTo(0x02005e020002L);
        assertThat(b.getShort(12)).isEqualTo((short) 0x0800);
    }
}
