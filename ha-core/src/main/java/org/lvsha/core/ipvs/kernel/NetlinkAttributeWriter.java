package org.lvsha.core.ipvs.kernel;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;

/**
 * Builds netlink attribute TLVs (struct nlattr: u16 length including the 4-byte header, u16 type, payload,
 * zero padding to 4 bytes; the length does not count the padding). Integers are in host order, which is
 * little-endian on every platform lvsha targets (x86-64, arm64); the "network order" attributes of §2.3 are
 * written with the {@code Be} methods. Nested attributes carry the NLA_F_NESTED bit (0x8000), as ipvsadm 1.31 sends
 * them through libnl's {@code nla_nest_start}: seen with strace against a 6.1 kernel ({@code 54 00 01 80} for SERVICE),
 * where the §2.5 vectors had {@code 01 00}. The kernel parses IPVS leniently and takes either (§2.1), but sending
 * what ipvsadm sends keeps us byte-identical with it and safe if the family ever turns strict validation on.
 */
public final class NetlinkAttributeWriter {

    private byte[] buf = new byte[256];
    private int len;
    private final Deque<Integer> nests = new ArrayDeque<>();

    private void ensure(int n) {
        if (len + n > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + n));
        }
    }

    private void header(int payloadLength, int type) {
        ensure(4);
        int l = payloadLength + 4;
        buf[len++] = (byte) l;
        buf[len++] = (byte) (l >>> 8);
        buf[len++] = (byte) type;
        buf[len++] = (byte) (type >>> 8);
    }

    private void pad() {
        while ((len & 3) != 0) {
            ensure(1);
            buf[len++] = 0;
        }
    }

    public NetlinkAttributeWriter bytes(int type, byte[] payload) {
        header(payload.length, type);
        ensure(payload.length);
        System.arraycopy(payload, 0, buf, len, payload.length);
        len += payload.length;
        pad();
        return this;
    }

    public NetlinkAttributeWriter u8(int type, int value) {
        return bytes(type, new byte[] {(byte) value});
    }

    public NetlinkAttributeWriter u16(int type, int value) {
        return bytes(type, new byte[] {(byte) value, (byte) (value >>> 8)});
    }

    /** A u16 in network order ({@code nla_get_be16}). */
    public NetlinkAttributeWriter be16(int type, int value) {
        return bytes(type, new byte[] {(byte) (value >>> 8), (byte) value});
    }

    public NetlinkAttributeWriter u32(int type, int value) {
        return bytes(type, new byte[] {(byte) value, (byte) (value >>> 8), (byte) (value >>> 16), (byte) (value >>> 24)});
    }

    /** A u32 whose bytes are in network order (IPv4 netmask, {@code nla_get_in_addr}). */
    public NetlinkAttributeWriter be32(int type, int value) {
        return bytes(type, new byte[] {(byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value});
    }

    public NetlinkAttributeWriter u64(int type, long value) {
        byte[] b = new byte[8];
        for (int i = 0; i < 8; i++) {
            b[i] = (byte) (value >>> (8 * i));
        }
        return bytes(type, b);
    }

    /** A NUL-terminated string. */
    public NetlinkAttributeWriter string(int type, String value) {
        byte[] s = value.getBytes(StandardCharsets.US_ASCII);
        return bytes(type, Arrays.copyOf(s, s.length + 1));
    }

    /** NLA_F_NESTED (linux/netlink.h). */
    public static final int NLA_F_NESTED = 0x8000;

    public NetlinkAttributeWriter beginNested(int type) {
        nests.push(len);
        header(0, type | NLA_F_NESTED);
        return this;
    }

    public NetlinkAttributeWriter endNested() {
        int start = nests.pop();
        int l = len - start;
        buf[start] = (byte) l;
        buf[start + 1] = (byte) (l >>> 8);
        return this;
    }

    public byte[] toByteArray() {
        if (!nests.isEmpty()) {
            throw new IllegalStateException("unclosed nested attribute");
        }
        return Arrays.copyOf(buf, len);
    }
}
