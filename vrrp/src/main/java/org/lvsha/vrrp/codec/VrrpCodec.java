package org.lvsha.vrrp.codec;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Bytes ⇄ {@link VrrpPacket}, and nothing else (no instance state, no I/O).
 *
 * <pre>
 * v3 (RFC 5798 §5.1/5.2)                     v2 (RFC 3768 §5.1)
 * |Ver=3|Type=1| VRID | Prio | Count |       |Ver=2|Type=1| VRID | Prio | Count |
 * |rsvd(4)|MaxAdvInt(12)|   Checksum  |       | AuthType | AdvInt(s) |  Checksum |
 * |   IPvX addresses (4 or 16 bytes each)  |  |  IPv4 addresses ...  | Auth Data (8) |
 * </pre>
 */
public final class VrrpCodec {
    /** IP protocol number / IPv6 next header assigned to VRRP (RFC 5798 §5.1.1.4, §5.1.2.4). */
    public static final int IP_PROTOCOL = 112;
    /** RFC 5798 §5.1.1.3 / §5.1.2.3: a VRRP packet whose TTL / hop limit is not 255 MUST be discarded. */
    public static final int REQUIRED_TTL = 255;
    /**
     * Largest message accepted: an Ethernet frame (1500) less the IPv4 header. A bigger datagram would
     * have been fragmented, which no VRRP speaker does; refusing it early bounds the work per packet.
     */
    public static final int MAX_MESSAGE_LENGTH = 1480;
    static final int HEADER = 8;
    static final int V2_AUTH_LENGTH = 8;

    private VrrpCodec() {
    }

    /**
     * Decodes and validates everything that does not depend on a local instance (those checks are in
     * {@code AdvertCheck}). Checks follow RFC 5798 §7.1 / RFC 3768 §7.1 in order; the first failure wins.
     */
    public static DecodeResult decode(byte[] buf, int off, int len, IpFacts facts) {
        if (facts.ttl() != REQUIRED_TTL) {
            return DecodeResult.reject(RejectReason.BAD_TTL);
        }
        if (len > MAX_MESSAGE_LENGTH) {
            return DecodeResult.reject(RejectReason.OVERSIZED);
        }
        if (len < HEADER) {
            return DecodeResult.reject(RejectReason.TRUNCATED);
        }
        int version = (buf[off] & 0xf0) >>> 4;
        int type = buf[off] & 0x0f;
        if (version != 3 && version != 2 || version == 2 && facts.ipv6()) {
            return DecodeResult.reject(RejectReason.BAD_VERSION);
        }
        if (type != 1) {
            return DecodeResult.reject(RejectReason.BAD_TYPE);
        }
        int vrid = buf[off + 1] & 0xff;
        int priority = buf[off + 2] & 0xff;
        int count = buf[off + 3] & 0xff;
        int alen = facts.ipv6() ? 16 : 4;
        int expected = HEADER + count * alen + (version == 2 ? V2_AUTH_LENGTH : 0);
        if (len < HEADER + (version == 2 ? V2_AUTH_LENGTH : 0)) {
            return DecodeResult.reject(RejectReason.TRUNCATED);
        }
        if (len != expected) {
            return DecodeResult.reject(RejectReason.LENGTH_MISMATCH);
        }
        if (count == 0) {
            return DecodeResult.reject(RejectReason.NO_ADDRESSES);
        }
        long sum = version == 3
                ? InternetChecksum.pseudoHeader(facts.source().getAddress(), facts.destination().getAddress(), len)
                : 0;
        if (InternetChecksum.finish(InternetChecksum.add(sum, buf, off, len)) != 0) {
            return DecodeResult.reject(RejectReason.BAD_CHECKSUM);
        }
        int interval;
        int authType = 0;
        byte[] auth = null;
        if (version == 3) {
            // RFC 5798 §5.2.6: 4 reserved bits (ignored on receipt) then 12 bits of centiseconds.
            interval = ((buf[off + 4] & 0x0f) << 8) | (buf[off + 5] & 0xff);
        } else {
            authType = buf[off + 4] & 0xff;
            interval = buf[off + 5] & 0xff;
            if (authType > 1) {
                return DecodeResult.reject(RejectReason.UNKNOWN_AUTH_TYPE);
            }
            auth = Arrays.copyOfRange(buf, off + len - V2_AUTH_LENGTH, off + len);
        }
        if (interval == 0) {
            return DecodeResult.reject(RejectReason.ZERO_INTERVAL);
        }
        List<InetAddress> addresses = new ArrayList<>(count);
        try {
            for (int i = 0; i < count; i++) {
                int p = off + HEADER + i * alen;
                addresses.add(InetAddress.getByAddress(Arrays.copyOfRange(buf, p, p + alen)));
            }
        } catch (UnknownHostException e) {
            throw new AssertionError("address of length " + alen, e);
        }
        return DecodeResult.ok(new VrrpPacket(version, vrid, priority, interval, authType, auth, addresses, facts.source()));
    }

    /**
     * Encodes an ADVERTISEMENT into {@code buf} at {@code off}, without allocating.
     *
     * @param destination IP destination (the multicast group or a unicast peer); v3 checksums cover it
     * @return the number of bytes written
     */
    public static int encode(AdvertTemplate t, int priority, byte[] destination, byte[] buf, int off) {
        if (priority < 0 || priority > 255) {
            throw new IllegalArgumentException("priority out of 0-255: " + priority);
        }
        int len = t.length();
        if (buf.length - off < len) {
            throw new IllegalArgumentException("buffer too small: " + (buf.length - off) + " < " + len);
        }
        buf[off] = (byte) ((t.version << 4) | 1);
        buf[off + 1] = (byte) t.vrid;
        buf[off + 2] = (byte) priority;
        buf[off + 3] = (byte) t.count;
        if (t.version == 3) {
            buf[off + 4] = (byte) ((t.interval >>> 8) & 0x0f);
            buf[off + 5] = (byte) t.interval;
        } else {
            buf[off + 4] = (byte) t.authType;
            buf[off + 5] = (byte) t.interval;
        }
        buf[off + 6] = 0;
        buf[off + 7] = 0;
        System.arraycopy(t.addresses, 0, buf, off + HEADER, t.addresses.length);
        if (t.version == 2) {
            System.arraycopy(t.authData, 0, buf, off + HEADER + t.addresses.length, V2_AUTH_LENGTH);
        }
        long sum = t.version == 3 ? InternetChecksum.pseudoHeader(t.source, destination, len) : 0;
        int checksum = InternetChecksum.finish(InternetChecksum.add(sum, buf, off, len));
        buf[off + 6] = (byte) (checksum >>> 8);
        buf[off + 7] = (byte) checksum;
        return len;
    }
}
