package org.lvsha.core.platform.netlink;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * One netlink message ({@code struct nlmsghdr} and its payload), with the encoder and the parser for
 * a buffer holding several of them. Netlink is host byte order; every buffer here is native order.
 *
 * <p>Layout (linux/netlink.h): {@code u32 len, u16 type, u16 flags, u32 seq, u32 pid}, then the
 * payload, each message padded to 4 bytes ({@code NLMSG_ALIGN}).
 *
 * @param payload what follows the 16-byte header (a read-only copy, position 0, native order)
 */
public record NetlinkMessage(int type, int flags, int sequence, int portId, ByteBuffer payload) {
    public static final int HEADER_SIZE = 16;

    public static final int NLMSG_NOOP = 1;
    public static final int NLMSG_ERROR = 2;
    public static final int NLMSG_DONE = 3;
    public static final int NLMSG_OVERRUN = 4;

    public static final int NLM_F_REQUEST = 0x1;
    public static final int NLM_F_MULTI = 0x2;
    public static final int NLM_F_ACK = 0x4;
    public static final int NLM_F_ECHO = 0x8;
    public static final int NLM_F_DUMP_INTR = 0x10;
    /** GET modifiers. */
    public static final int NLM_F_ROOT = 0x100;
    public static final int NLM_F_MATCH = 0x200;
    public static final int NLM_F_DUMP = NLM_F_ROOT | NLM_F_MATCH;
    /** NEW modifiers. */
    public static final int NLM_F_REPLACE = 0x100;
    public static final int NLM_F_EXCL = 0x200;
    public static final int NLM_F_CREATE = 0x400;
    public static final int NLM_F_APPEND = 0x800;
    /** Flags of an NLMSG_ERROR message: the echoed request was cut, and extended-ack attributes follow. */
    public static final int NLM_F_CAPPED = 0x100;
    public static final int NLM_F_ACK_TLVS = 0x200;
    /** nlmsgerr attribute carrying the kernel's text message. */
    public static final int NLMSGERR_ATTR_MSG = 1;

    public static int align(int n) {
        return (n + 3) & ~3;
    }

    /**
     * Encodes one message: header, {@code fixedHeader} (e.g. ifaddrmsg, genlmsghdr; may be empty) padded
     * to 4 bytes, then {@code attributes} (already aligned, as {@link NetlinkAttributeWriter} makes them).
     */
    public static byte[] encode(int type, int flags, int sequence, int portId, byte[] fixedHeader, byte[] attributes) {
        int fixed = align(fixedHeader.length);
        int length = HEADER_SIZE + fixed + attributes.length;
        ByteBuffer b = ByteBuffer.allocate(length).order(ByteOrder.nativeOrder());
        b.putInt(length).putShort((short) type).putShort((short) flags).putInt(sequence).putInt(portId);
        b.put(fixedHeader);
        b.position(HEADER_SIZE + fixed);
        b.put(attributes);
        return b.array();
    }

    /**
     * Parses every message between {@code data}'s position and limit (as one recv returned them).
     *
     * @throws IllegalArgumentException if a header is truncated or a length points past the data
     */
    public static List<NetlinkMessage> parseAll(ByteBuffer data) {
        ByteBuffer b = data.duplicate().order(ByteOrder.nativeOrder());
        List<NetlinkMessage> out = new ArrayList<>();
        while (b.remaining() >= HEADER_SIZE) {
            int start = b.position();
            int length = b.getInt(start);
            if (length < HEADER_SIZE || length > b.remaining()) {
                throw new IllegalArgumentException("netlink message length " + length + " at offset " + (start - data.position())
                        + " with " + b.remaining() + " bytes left");
            }
            int type = Short.toUnsignedInt(b.getShort(start + 4));
            int flags = Short.toUnsignedInt(b.getShort(start + 6));
            int seq = b.getInt(start + 8);
            int pid = b.getInt(start + 12);
            byte[] payload = new byte[length - HEADER_SIZE];
            b.get(start + HEADER_SIZE, payload);
            out.add(new NetlinkMessage(type, flags, seq, pid, ByteBuffer.wrap(payload).asReadOnlyBuffer().order(ByteOrder.nativeOrder())));
            b.position(Math.min(b.limit(), start + align(length)));
        }
        if (b.hasRemaining()) {
            throw new IllegalArgumentException("truncated netlink header: " + b.remaining() + " trailing bytes");
        }
        return out;
    }

    /** For NLMSG_ERROR: the error code, 0 for an ack or a negative errno. */
    public int errorCode() {
        requireType(NLMSG_ERROR);
        if (payload.limit() < 4) {
            throw new IllegalArgumentException("NLMSG_ERROR payload of " + payload.limit() + " bytes");
        }
        return payload.getInt(0);
    }

    /** For NLMSG_ERROR with extended ack: the kernel's message ({@code NLMSGERR_ATTR_MSG}), or null. */
    public String extendedAckMessage() {
        requireType(NLMSG_ERROR);
        if ((flags & NLM_F_ACK_TLVS) == 0 || payload.limit() < 4 + HEADER_SIZE) {
            return null;
        }
        int echoed = (flags & NLM_F_CAPPED) != 0 ? HEADER_SIZE : align(payload.getInt(4));
        int offset = 4 + echoed;
        if (offset > payload.limit()) {
            return null;
        }
        NetlinkAttributes tlvs = NetlinkAttributes.parse(payload.duplicate().position(offset).slice().order(ByteOrder.nativeOrder()));
        return tlvs.has(NLMSGERR_ATTR_MSG) ? tlvs.string(NLMSGERR_ATTR_MSG) : null;
    }

    /** The payload after a fixed header of {@code fixedHeaderSize} bytes, parsed as attributes. */
    public NetlinkAttributes attributes(int fixedHeaderSize) {
        int offset = align(fixedHeaderSize);
        if (offset > payload.limit()) {
            throw new IllegalArgumentException("message type " + type + " has " + payload.limit()
                    + " payload bytes, shorter than its " + fixedHeaderSize + "-byte header");
        }
        return NetlinkAttributes.parse(payload.duplicate().position(offset).slice().order(ByteOrder.nativeOrder()));
    }

    private void requireType(int expected) {
        if (type != expected) {
            throw new IllegalStateException("message type " + type + ", not " + expected);
        }
    }
}
