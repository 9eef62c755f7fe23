package org.lvsha.sync.kernel.relay;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** The captured-frame decoder on byte vectors, including every refusal. */
class SyncFrameTest {
    static final int GROUP = 0xe0000051; // 224.0.0.81
    static final int PORT = 8849;

    /** Ethernet + IPv4 (IHL 5) + UDP from 192.0.2.1:40123 to 224.0.0.81:8849 carrying {@code payload}. */
    static byte[] frame(byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(14 + 20 + 8 + payload.length);
        b.put(new byte[] {1, 0, 0x5e, 0, 0, 0x51, 0x52, 0x54, 0, 0, 0, 1}).putShort((short) 0x0800);
        b.put((byte) 0x45).put((byte) 0).putShort((short) (28 + payload.length)).putShort((short) 7).putShort((short) 0x4000)
                .put((byte) 1).put((byte) 17).putShort((short) 0).putInt(0xc0000201).putInt(GROUP);
        b.putShort((short) 40123).putShort((short) PORT).putShort((short) (8 + payload.length)).putShort((short) 0);
        b.put(payload);
        return b.array();
    }

    @Test
    void findsThePayloadOfAKernelMastersDatagram() {
        byte[] f = frame(new byte[] {0, 9, 0, 8, 0, 1, 0, 0});
        SyncFrame p = new SyncFrame();
        assertThat(p.parse(f, f.length, GROUP, PORT)).isTrue();
        assertThat(p.payloadOffset()).isEqualTo(42);
        assertThat(p.payloadLength()).isEqualTo(8);
        assertThat(p.sourcePort()).isEqualTo(40123);
        assertThat(p.sourceAddress()).isEqualTo(0xc0000201);
    }

    @Test
    void ethernetPaddingAfterTheIpPacketIsNotPayload() {
        byte[] small = frame(new byte[] {1, 2});
        byte[] padded = java.util.Arrays.copyOf(small, 60);
        SyncFrame p = new SyncFrame();
        assertThat(p.parse(padded, padded.length, GROUP, PORT)).isTrue();
        assertThat(p.payloadLength()).isEqualTo(2);
    }

    @Test
    void refusesEverythingElseWithItsReason() {
        byte[] ok = frame(new byte[8]);
        assertRefused(java.util.Arrays.copyOf(ok, 41), ok.length - 9, SyncFrame.Refusal.TOO_SHORT);
        byte[] arp = ok.clone();
        arp[12] = 0x08;
        arp[13] = 0x06;
        assertRefused(arp, arp.length, SyncFrame.Refusal.NOT_IPV4);
        byte[] tcp = ok.clone();
        tcp[23] = 6;
        assertRefused(tcp, tcp.length, SyncFrame.Refusal.NOT_UDP);
        byte[] fragment = ok.clone();
        fragment[20] = 0x20; // MF
        assertRefused(fragment, fragment.length, SyncFrame.Refusal.FRAGMENT);
        byte[] later = ok.clone();
        later[20] = 0;
        later[21] = 1; // offset 8
        assertRefused(later, later.length, SyncFrame.Refusal.FRAGMENT);
        byte[] group = ok.clone();
        group[33] = 0x52;
        assertRefused(group, group.length, SyncFrame.Refusal.OTHER_GROUP);
        byte[] port = ok.clone();
        port[37] = 0x50; // 8848
        assertRefused(port, port.length, SyncFrame.Refusal.OTHER_PORT);
        byte[] udpTooLong = ok.clone();
        udpTooLong[39] = (byte) 200;
        assertRefused(udpTooLong, udpTooLong.length, SyncFrame.Refusal.BAD_LENGTH);
        byte[] ipTooLong = ok.clone();
        ipTooLong[17] = (byte) 200;
        assertRefused(ipTooLong, ipTooLong.length, SyncFrame.Refusal.BAD_LENGTH);
        byte[] udpTooShort = ok.clone();
        udpTooShort[39] = 4;
        assertRefused(udpTooShort, udpTooShort.length, SyncFrame.Refusal.BAD_LENGTH);
    }

    private static void assertRefused(byte[] f, int length, SyncFrame.Refusal why) {
        SyncFrame p = new SyncFrame();
        assertThat(p.parse(f, Math.min(length, f.length), GROUP, PORT)).isFalse();
        assertThat(p.refusal()).isEqualTo(why);
    }
}
