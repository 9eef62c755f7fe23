package org.lvsha.core.dataplane;

import java.nio.ByteBuffer;

/** Builds Ethernet + IPv4 + TCP/UDP frames with correct checksums, for the byte-vector tests. */
final class TestFrames {
    static final int CLIENT = 0xCB00710A;   // 203.0.113.10
    static final int VIP = 0xCB007164;      // 203.0.113.100
    static final int RIP = 0xC000020B;      // 192.0.2.11
    static final long CLIENT_MAC = 0x02005e01000aL;
    static final long DIRECTOR_MAC = 0x02005e010002L;

    private TestFrames() {
    }

    /** A TCP frame (20-byte header) with {@code payload} bytes, optional IP options (multiple of 4 bytes). */
    static ByteBuffer tcp(int src, int sport, int dst, int dport, int flags, int payload, int optionBytes) {
        int ihl = 20 + optionBytes;
        int total = ihl + 20 + payload;
        ByteBuffer b = ByteBuffer.allocate(14 + total);
        b.putShort(0, (short) (DIRECTOR_MAC >>> 32)).putInt(2, (int) DIRECTOR_MAC);
        b.putShort(6, (short) (CLIENT_MAC >>> 32)).putInt(8, (int) CLIENT_MAC);
        b.putShort(12, (short) 0x0800);
        int ip = 14;
        b.put(ip, (byte) (0x40 | (ihl / 4)));
        b.putShort(ip + 2, (short) total);
        b.putShort(ip + 4, (short) 0x1234);
        b.putShort(ip + 6, (short) 0x4000); // DF
        b.put(ip + 8, (byte) 64);
        b.put(ip + 9, (byte) 6);
        b.putInt(ip + 12, src);
        b.putInt(ip + 16, dst);
        for (int i = 0; i < optionBytes; i++) {
            b.put(ip + 20 + i, (byte) 1); // NOP options
        }
        int l4 = ip + ihl;
        b.putShort(l4, (short) sport);
        b.putShort(l4 + 2, (short) dport);
        b.putInt(l4 + 4, 1000);
        b.putInt(l4 + 8, 0);
        b.put(l4 + 12, (byte) 0x50);
        b.put(l4 + 13, (byte) flags);
        b.putShort(l4 + 14, (short) 65535);
        for (int i = 0; i < payload; i++) {
            b.put(l4 + 20 + i, (byte) (i * 7 + 3));
        }
        fixChecksums(b);
        return b;
    }

    static ByteBuffer udp(int src, int sport, int dst, int dport, int payload) {
        int total = 20 + 8 + payload;
        ByteBuffer b = ByteBuffer.allocate(14 + total);
        b.putShort(12, (short) 0x0800);
        b.put(14, (byte) 0x45);
        b.putShort(16, (short) total);
        b.put(22, (byte) 64);
        b.put(23, (byte) 17);
        b.putInt(26, src);
        b.putInt(30, dst);
        b.putShort(34, (short) sport);
        b.putShort(36, (short) dport);
        b.putShort(38, (short) (8 + payload));
        for (int i = 0; i < payload; i++) {
            b.put(42 + i, (byte) (i + 1));
        }
        fixChecksums(b);
        return b;
    }

    /** Recomputes the IPv4 header checksum and the TCP/UDP checksum from scratch. */
    static void fixChecksums(ByteBuffer b) {
        int ihl = (b.get(14) & 0x0f) * 4;
        b.putShort(24, (short) 0);
        b.putShort(24, (short) InternetChecksum.finish(InternetChecksum.sum(b, 14, ihl)));
        int proto = b.get(23) & 0xff;
        int total = b.getShort(16) & 0xffff;
        int l4 = 14 + ihl;
        int at = proto == 6 ? l4 + 16 : l4 + 6;
        b.putShort(at, (short) 0);
        long sum = InternetChecksum.pseudoHeaderSum(b.getInt(26), b.getInt(30), proto, total - ihl)
                + InternetChecksum.sum(b, l4, total - ihl);
        int c = InternetChecksum.finish(sum);
        b.putShort(at, (short) (proto == 17 && c == 0 ? 0xffff : c));
    }

    static boolean checksumsValid(ByteBuffer b) {
        ByteBuffer copy = ByteBuffer.allocate(b.capacity());
        copy.put(0, b, 0, b.capacity());
        fixChecksums(copy);
        return copy.equals(b);
    }
}
