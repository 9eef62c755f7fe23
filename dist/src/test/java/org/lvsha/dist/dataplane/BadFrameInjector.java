package org.lvsha.dist.dataplane;

import java.nio.ByteBuffer;

import org.lvsha.core.platform.NetworkNamespace;
import org.lvsha.core.platform.packet.PacketSocket;
import org.lvsha.core.platform.rtnl.RtNetlink;

/** Sends hand-made, deliberately broken TCP frames from a lab namespace to dir1's outside MAC and the VIP:80. */
final class BadFrameInjector {
    private static final byte[] DIR1_OUTSIDE_MAC = {0x02, 0x00, 0x5e, 0x01, 0x00, 0x02};
    private static final byte[] CLIENT_MAC = {0x02, 0x00, 0x5e, 0x01, 0x00, 0x0a};
    private static final int CLIENT = 0xCB00710A;
    private static final int VIP = 0xCB007164;

    private BadFrameInjector() {
    }

    /** An Ethernet + IPv4 (+ options) + TCP SYN frame with correct checksums. */
    static ByteBuffer syn(int sport, int optionBytes) {
        int ihl = 20 + optionBytes;
        ByteBuffer b = ByteBuffer.allocate(14 + ihl + 20);
        b.put(0, DIR1_OUTSIDE_MAC).put(6, CLIENT_MAC).putShort(12, (short) 0x0800);
        b.put(14, (byte) (0x40 | ihl / 4)).putShort(16, (short) (ihl + 20)).put(22, (byte) 64).put(23, (byte) 6);
        b.putInt(26, CLIENT).putInt(30, VIP);
        for (int i = 0; i < optionBytes; i++) {
            b.put(34 + i, (byte) 1);
        }
        int l4 = 14 + ihl;
        b.putShort(l4, (short) sport).putShort(l4 + 2, (short) 80).putInt(l4 + 4, 1).put(l4 + 12, (byte) 0x50)
                .put(l4 + 13, (byte) 0x02).putShort(l4 + 14, (short) 1024);
        fix(b);
        return b;
    }

    private static int sum(ByteBuffer b, int off, int len, long start) {
        long s = start;
        for (int i = 0; i < len; i += 2) {
            s += b.getShort(off + i) & 0xffff;
        }
        while ((s >>> 16) != 0) {
            s = (s & 0xffff) + (s >>> 16);
        }
        return (int) (~s & 0xffff);
    }

    static void fix(ByteBuffer b) {
        int ihl = (b.get(14) & 0xf) * 4;
        b.putShort(24, (short) 0);
        b.putShort(24, (short) sum(b, 14, ihl, 0));
        int l4 = 14 + ihl;
        int len = (b.getShort(16) & 0xffff) - ihl;
        b.putShort(l4 + 16, (short) 0);
        long pseudo = (CLIENT >>> 16) + (CLIENT & 0xffff) + (VIP >>> 16) + (VIP & 0xffff) + 6 + len;
        b.putShort(l4 + 16, (short) sum(b, l4, len, pseudo));
    }

    /** A valid TCP segment with {@code flags} from the client's {@code sport} to VIP:{@code dport}. */
    static ByteBuffer segment(int sport, int dport, int flags) {
        ByteBuffer b = syn(sport, 0);
        b.putShort(36, (short) dport).put(47, (byte) flags);
        fix(b);
        return b;
    }

    /** Sends each frame out of eth0 of namespace {@code ns}. */
    static void send(String ns, ByteBuffer... frames) {
        NetworkNamespace.call(ns, () -> {
            int ifIndex;
            try (RtNetlink rtnl = RtNetlink.open()) {
                ifIndex = rtnl.link("eth0").orElseThrow().index();
            }
            try (PacketSocket s = PacketSocket.openSender()) {
                for (ByteBuffer f : frames) {
                    s.send(ifIndex, f.array());
                }
            }
            return null;
        });
    }
}
