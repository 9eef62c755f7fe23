package org.lvsha.core.ipvs.kernel;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * Parsed attributes of one level: type → payload. Unknown types are kept and ignored by callers, as the kernel
 * and libnl do; a truncated or overlong TLV is a {@link MalformedReplyException}. The NLA_F_NESTED and
 * NLA_F_NET_BYTEORDER bits are masked off the type.
 */
public final class NetlinkAttributes {

    private final Map<Integer, byte[]> byType = new HashMap<>();

    private NetlinkAttributes() {
    }

    public static NetlinkAttributes parse(byte[] data, int offset, int length) {
        NetlinkAttributes a = new NetlinkAttributes();
        int pos = offset;
        int end = offset + length;
        while (pos + 4 <= end) {
            int l = (data[pos] & 0xff) | ((data[pos + 1] & 0xff) << 8);
            int type = ((data[pos + 2] & 0xff) | ((data[pos + 3] & 0xff) << 8)) & 0x3fff;
            if (l < 4 || pos + l > end) {
                throw new MalformedReplyException("attribute " + type + " length " + l + " at offset " + pos + " overruns " + end);
            }
            byte[] payload = new byte[l - 4];
            System.arraycopy(data, pos + 4, payload, 0, l - 4);
            a.byType.put(type, payload);
            pos += (l + 3) & ~3;
        }
        return a;
    }

    public static NetlinkAttributes parse(byte[] data) {
        return parse(data, 0, data.length);
    }

    public boolean has(int type) {
        return byType.containsKey(type);
    }

    public byte[] bytes(int type) {
        byte[] b = byType.get(type);
        if (b == null) {
            throw new MalformedReplyException("missing attribute " + type);
        }
        return b;
    }

    public NetlinkAttributes nested(int type) {
        byte[] b = bytes(type);
        return parse(b, 0, b.length);
    }

    private byte[] atLeast(int type, int n) {
        byte[] b = bytes(type);
        if (b.length < n) {
            throw new MalformedReplyException("attribute " + type + " has " + b.length + " bytes, needs " + n);
        }
        return b;
    }

    public int u8(int type) {
        return atLeast(type, 1)[0] & 0xff;
    }

    public int u16(int type) {
        byte[] b = atLeast(type, 2);
        return (b[0] & 0xff) | ((b[1] & 0xff) << 8);
    }

    public int be16(int type) {
        byte[] b = atLeast(type, 2);
        return ((b[0] & 0xff) << 8) | (b[1] & 0xff);
    }

    public int u32(int type) {
        byte[] b = atLeast(type, 4);
        return (b[0] & 0xff) | ((b[1] & 0xff) << 8) | ((b[2] & 0xff) << 16) | ((b[3] & 0xff) << 24);
    }

    public int be32(int type) {
        byte[] b = atLeast(type, 4);
        return ((b[0] & 0xff) << 24) | ((b[1] & 0xff) << 16) | ((b[2] & 0xff) << 8) | (b[3] & 0xff);
    }

    public long u64(int type) {
        byte[] b = atLeast(type, 8);
        long v = 0;
        for (int i = 7; i >= 0; i--) {
            v = (v << 8) | (b[i] & 0xff);
        }
        return v;
    }

    /** A NUL-terminated (or unterminated) string. */
    public String string(int type) {
        byte[] b = bytes(type);
        int n = 0;
        while (n < b.length && b[n] != 0) {
            n++;
        }
        return new String(b, 0, n, StandardCharsets.US_ASCII);
    }

    public int u32Or(int type, int fallback) {
        return has(type) ? u32(type) : fallback;
    }
}
