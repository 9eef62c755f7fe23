package org.lvsha.core.platform.netlink;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A parsed run of netlink attributes ({@code struct nlattr}: {@code u16 len, u16 type}, value,
 * padding to 4). Types are reported without the NLA_F_NESTED / NLA_F_NET_BYTEORDER bits; repeated
 * types are kept in order ({@link #all}). Values are native-order slices of the parsed buffer.
 */
public final class NetlinkAttributes {
    public static final int HEADER_SIZE = 4;
    public static final int NLA_F_NESTED = 1 << 15;
    public static final int NLA_F_NET_BYTEORDER = 1 << 14;
    public static final int NLA_TYPE_MASK = ~(NLA_F_NESTED | NLA_F_NET_BYTEORDER) & 0xffff;

    /** One attribute: its type (flags removed) and value. */
    public record Attribute(int type, ByteBuffer value) {
    }

    private final List<Attribute> attributes;

    private NetlinkAttributes(List<Attribute> attributes) {
        this.attributes = attributes;
    }

    /**
     * Parses attributes from {@code data}'s position to its limit.
     *
     * @throws IllegalArgumentException on a truncated attribute or a length running past the data
     */
    public static NetlinkAttributes parse(ByteBuffer data) {
        ByteBuffer b = data.duplicate().order(ByteOrder.nativeOrder());
        List<Attribute> out = new ArrayList<>();
        while (b.remaining() >= HEADER_SIZE) {
            int start = b.position();
            int len = Short.toUnsignedInt(b.getShort(start));
            int type = Short.toUnsignedInt(b.getShort(start + 2)) & NLA_TYPE_MASK;
            if (len < HEADER_SIZE || len > b.remaining()) {
                throw new IllegalArgumentException("netlink attribute type " + type + " length " + len
                        + " with " + b.remaining() + " bytes left");
            }
            ByteBuffer value = b.duplicate().position(start + HEADER_SIZE).limit(start + len).slice().order(ByteOrder.nativeOrder());
            out.add(new Attribute(type, value));
            // The last attribute may omit its padding.
            b.position(Math.min(b.limit(), start + NetlinkMessage.align(len)));
        }
        if (b.hasRemaining()) {
            throw new IllegalArgumentException("truncated netlink attribute header: " + b.remaining() + " trailing bytes");
        }
        return new NetlinkAttributes(Collections.unmodifiableList(out));
    }

    public List<Attribute> list() {
        return attributes;
    }

    public boolean has(int type) {
        return find(type) != null;
    }

    /** Every attribute of this type, in order. */
    public List<ByteBuffer> all(int type) {
        List<ByteBuffer> out = new ArrayList<>();
        for (Attribute a : attributes) {
            if (a.type() == type) {
                out.add(a.value().duplicate().order(ByteOrder.nativeOrder()));
            }
        }
        return out;
    }

    /** The value of the first attribute of this type. */
    public ByteBuffer value(int type) {
        Attribute a = find(type);
        if (a == null) {
            throw new IllegalArgumentException("missing netlink attribute " + type);
        }
        return a.value().duplicate().order(ByteOrder.nativeOrder());
    }

    public int u8(int type) {
        return Byte.toUnsignedInt(sized(type, 1).get(0));
    }

    public int u16(int type) {
        return Short.toUnsignedInt(sized(type, 2).getShort(0));
    }

    public int u32(int type) {
        return sized(type, 4).getInt(0);
    }

    public long u64(int type) {
        return sized(type, 8).getLong(0);
    }

    public byte[] bytes(int type) {
        ByteBuffer v = value(type);
        byte[] out = new byte[v.remaining()];
        v.get(out);
        return out;
    }

    /** A NUL-terminated (or unterminated) string attribute. */
    public String string(int type) {
        byte[] raw = bytes(type);
        int n = 0;
        while (n < raw.length && raw[n] != 0) {
            n++;
        }
        return new String(raw, 0, n, StandardCharsets.UTF_8);
    }

    /** A 4- or 16-byte address attribute. */
    public InetAddress address(int type) {
        byte[] raw = bytes(type);
        if (raw.length != 4 && raw.length != 16) {
            throw new IllegalArgumentException("attribute " + type + " is " + raw.length + " bytes, not an IPv4/IPv6 address");
        }
        try {
            return InetAddress.getByAddress(raw);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The attributes nested inside attribute {@code type}. */
    public NetlinkAttributes nested(int type) {
        return parse(value(type));
    }

    private ByteBuffer sized(int type, int size) {
        ByteBuffer v = value(type);
        if (v.remaining() < size) {
            throw new IllegalArgumentException("netlink attribute " + type + " has " + v.remaining() + " bytes, expected " + size);
        }
        return v;
    }

    private Attribute find(int type) {
        for (Attribute a : attributes) {
            if (a.type() == type) {
                return a;
            }
        }
        return null;
    }
}
