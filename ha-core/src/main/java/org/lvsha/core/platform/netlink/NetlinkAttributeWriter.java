package org.lvsha.core.platform.netlink;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;

/**
 * Builds a run of netlink attributes, nested ones included, into bytes ready for
 * {@link NetlinkMessage#encode} or {@link GenericNetlinkSocket#request}. Every attribute is padded to
 * 4 bytes. Nested attributes are written without NLA_F_NESTED unless the caller ORs it into the type
 * (older families such as IPVS predate the flag; strict newer ones want it).
 */
public final class NetlinkAttributeWriter {
    private ByteBuffer buf = ByteBuffer.allocate(256).order(ByteOrder.nativeOrder());
    private final Deque<Integer> open = new ArrayDeque<>();

    public NetlinkAttributeWriter put(int type, byte[] value) {
        int len = NetlinkAttributes.HEADER_SIZE + value.length;
        ensure(NetlinkMessage.align(len));
        buf.putShort((short) len).putShort((short) type).put(value);
        pad();
        return this;
    }

    public NetlinkAttributeWriter putU8(int type, int value) {
        return put(type, new byte[] {(byte) value});
    }

    public NetlinkAttributeWriter putU16(int type, int value) {
        return put(type, ByteBuffer.allocate(2).order(ByteOrder.nativeOrder()).putShort((short) value).array());
    }

    public NetlinkAttributeWriter putU32(int type, int value) {
        return put(type, ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(value).array());
    }

    public NetlinkAttributeWriter putU64(int type, long value) {
        return put(type, ByteBuffer.allocate(8).order(ByteOrder.nativeOrder()).putLong(value).array());
    }

    /** A 16-bit value in network byte order (ports, as IPVS wants them). */
    public NetlinkAttributeWriter putBe16(int type, int value) {
        return put(type, new byte[] {(byte) (value >>> 8), (byte) value});
    }

    /** A NUL-terminated string, as NLA_NUL_STRING / NLA_STRING policies accept. */
    public NetlinkAttributeWriter putString(int type, String value) {
        byte[] s = value.getBytes(StandardCharsets.UTF_8);
        return put(type, Arrays.copyOf(s, s.length + 1));
    }

    public NetlinkAttributeWriter putAddress(int type, InetAddress address) {
        return put(type, address.getAddress());
    }

    /** A zero-length flag attribute. */
    public NetlinkAttributeWriter putFlag(int type) {
        return put(type, new byte[0]);
    }

    /** Opens a nested attribute; everything written until {@link #endNested()} goes inside it. */
    public NetlinkAttributeWriter beginNested(int type) {
        ensure(NetlinkAttributes.HEADER_SIZE);
        open.push(buf.position());
        buf.putShort((short) 0).putShort((short) type);
        return this;
    }

    public NetlinkAttributeWriter endNested() {
        if (open.isEmpty()) {
            throw new IllegalStateException("endNested without beginNested");
        }
        int start = open.pop();
        int len = buf.position() - start;
        if (len > 0xffff) {
            throw new IllegalStateException("nested attribute of " + len + " bytes exceeds 65535");
        }
        buf.putShort(start, (short) len);
        return this;
    }

    public byte[] toByteArray() {
        if (!open.isEmpty()) {
            throw new IllegalStateException(open.size() + " nested attribute(s) not closed");
        }
        return Arrays.copyOf(buf.array(), buf.position());
    }

    private void pad() {
        while ((buf.position() & 3) != 0) {
            buf.put((byte) 0);
        }
    }

    private void ensure(int more) {
        if (buf.remaining() < more) {
            ByteBuffer bigger = ByteBuffer.allocate(Math.max(buf.capacity() * 2, buf.position() + more)).order(ByteOrder.nativeOrder());
            buf.flip();
            bigger.put(buf);
            buf = bigger;
        }
    }
}
