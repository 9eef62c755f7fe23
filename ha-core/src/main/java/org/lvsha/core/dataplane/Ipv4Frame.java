package org.lvsha.core.dataplane;

import java.nio.ByteBuffer;

/**
 * A flyweight over one Ethernet + IPv4 + TCP/UDP frame in place (in a ring slot or any BIG_ENDIAN buffer):
 * {@link #parse} validates it and caches the offsets, the accessors read fields, and the rewrite methods change
 * MACs, addresses and ports with RFC 1624 incremental checksum updates. One instance per worker, reused for
 * every frame; nothing allocates.
 *
 * <p>Checksum offload: a frame that another namespace's stack handed to a veth with {@code CHECKSUM_PARTIAL}
 * reaches AF_PACKET with the TCP/UDP checksum field holding only the pseudo-header sum (the ring says
 * {@code TP_STATUS_CSUMNOTREADY}). Sent on as it is, the receiver would drop it, so {@link #parse} completes such
 * checksums in software. A frame the kernel already validated ({@code TP_STATUS_CSUM_VALID}) is trusted; any
 * other L4 checksum is verified.
 */
public final class Ipv4Frame {
    public static final int ETHERNET_HEADER = 14;
    public static final int ETHERTYPE_IPV4 = 0x0800;
    public static final int PROTO_TCP = 6;
    public static final int PROTO_UDP = 17;

    public static final int TCP_FIN = 0x01;
    public static final int TCP_SYN = 0x02;
    public static final int TCP_RST = 0x04;
    public static final int TCP_ACK = 0x10;

    private ByteBuffer b;
    private int base;
    private int ip;
    private int ipHeaderLength;
    private int totalLength;
    private int l4;
    private int protocol;

    /**
     * Validates the frame of {@code captured} bytes at {@code base} in {@code buffer}. Returns null when it is a
     * well-formed, unfragmented IPv4 TCP/UDP frame; otherwise the reason, which may still {@link BadFrame#passes()
     * pass} (IP options), in which case the accessors are valid too.
     *
     * @param checksumNotReady the L4 checksum is partial and must be completed (TP_STATUS_CSUMNOTREADY)
     * @param checksumValid    the kernel verified the L4 checksum (TP_STATUS_CSUM_VALID)
     */
    public BadFrame parse(ByteBuffer buffer, int base, int captured, boolean checksumNotReady, boolean checksumValid) {
        this.b = buffer;
        this.base = base;
        this.ip = base + ETHERNET_HEADER;
        if (captured < ETHERNET_HEADER + 20) {
            return BadFrame.TRUNCATED;
        }
        if ((buffer.getShort(base + 12) & 0xffff) != ETHERTYPE_IPV4 || (buffer.get(ip) & 0xf0) != 0x40) {
            return BadFrame.NOT_IPV4;
        }
        ipHeaderLength = (buffer.get(ip) & 0x0f) * 4;
        if (ipHeaderLength < 20 || ETHERNET_HEADER + ipHeaderLength > captured) {
            return BadFrame.BAD_HEADER_LENGTH;
        }
        totalLength = buffer.getShort(ip + 2) & 0xffff;
        // Ethernet pads short frames to 60 bytes, so the frame may be longer than the datagram, never shorter.
        if (totalLength < ipHeaderLength || ETHERNET_HEADER + totalLength > captured) {
            return BadFrame.BAD_TOTAL_LENGTH;
        }
        if (InternetChecksum.finish(InternetChecksum.sum(buffer, ip, ipHeaderLength)) != 0) {
            return BadFrame.BAD_IP_CHECKSUM;
        }
        // MF set or a non-zero fragment offset (RFC 791 §3.1).
        if ((buffer.getShort(ip + 6) & 0x3fff) != 0) {
            return BadFrame.FRAGMENT;
        }
        protocol = buffer.get(ip + 9) & 0xff;
        l4 = ip + ipHeaderLength;
        int l4Length = totalLength - ipHeaderLength;
        if (protocol == PROTO_TCP) {
            if (l4Length < 20 || ((buffer.get(l4 + 12) & 0xf0) >>> 4) < 5 || ((buffer.get(l4 + 12) & 0xf0) >>> 2) > l4Length) {
                return BadFrame.L4_TRUNCATED;
            }
        } else if (protocol == PROTO_UDP) {
            int udpLength = buffer.getShort(l4 + 4) & 0xffff;
            if (l4Length < 8 || udpLength < 8 || udpLength > l4Length) {
                return BadFrame.L4_TRUNCATED;
            }
        } else {
            return BadFrame.UNKNOWN_PROTOCOL;
        }
        if (checksumNotReady) {
            completeL4Checksum();
        } else if (!checksumValid && !l4ChecksumCorrect()) {
            return BadFrame.BAD_L4_CHECKSUM;
        }
        return ipHeaderLength > 20 ? BadFrame.IP_OPTIONS : null;
    }

    private int l4ChecksumOffset() {
        return protocol == PROTO_TCP ? l4 + 16 : l4 + 6;
    }

    private long l4Sum() {
        int l4Length = totalLength - ipHeaderLength;
        return InternetChecksum.pseudoHeaderSum(sourceAddress(), destinationAddress(), protocol, l4Length)
                + InternetChecksum.sum(b, l4, l4Length);
    }

    /** RFC 768: a zero UDP checksum means "none"; otherwise the sum over pseudo-header and segment folds to zero. */
    boolean l4ChecksumCorrect() {
        if (protocol == PROTO_UDP && b.getShort(l4 + 6) == 0) {
            return true;
        }
        return InternetChecksum.finish(l4Sum()) == 0;
    }

    /** Computes the L4 checksum from scratch and writes it (for frames whose checksum was left to offload). */
    void completeL4Checksum() {
        int at = l4ChecksumOffset();
        b.putShort(at, (short) 0);
        int c = InternetChecksum.finish(l4Sum());
        // RFC 768: a computed UDP checksum of zero is sent as all ones.
        if (protocol == PROTO_UDP && c == 0) {
            c = 0xffff;
        }
        b.putShort(at, (short) c);
    }

    public int protocol() {
        return protocol;
    }

    public int sourceAddress() {
        return b.getInt(ip + 12);
    }

    public int destinationAddress() {
        return b.getInt(ip + 16);
    }

    public int sourcePort() {
        return b.getShort(l4) & 0xffff;
    }

    public int destinationPort() {
        return b.getShort(l4 + 2) & 0xffff;
    }

    /** TCP flag byte (FIN 0x01, SYN 0x02, RST 0x04, ACK 0x10); 0 for UDP. */
    public int tcpFlags() {
        return protocol == PROTO_TCP ? b.get(l4 + 13) & 0xff : 0;
    }

    /** Bytes of the IP datagram (what IPVS counts in its byte counters). */
    public int ipLength() {
        return totalLength;
    }

    /** Bytes to send: Ethernet header + datagram, without any Ethernet padding. */
    public int frameLength() {
        return ETHERNET_HEADER + totalLength;
    }

    /** The Ethernet source as a 48-bit value (what a NAT reply is sent back to). */
    public long sourceMac() {
        return mac(base + 6);
    }

    public long destinationMac() {
        return mac(base);
    }

    private long mac(int at) {
        return ((long) (b.getShort(at) & 0xffff) << 32) | (b.getInt(at + 2) & 0xffffffffL);
    }

    /** Rewrites both Ethernet addresses (DR: next hop = the real server; the source = our interface). */
    public void setMacs(long destination, long source) {
        b.putShort(base, (short) (destination >>> 32));
        b.putInt(base + 2, (int) destination);
        b.putShort(base + 6, (short) (source >>> 32));
        b.putInt(base + 8, (int) source);
    }

    /** NAT towards the real server: destination address and port, checksums updated incrementally (RFC 1624). */
    public void setDestination(int address, int port) {
        rewrite(ip + 16, l4 + 2, address, port);
    }

    /** NAT of a reply: source address and port back to the virtual service's. */
    public void setSource(int address, int port) {
        rewrite(ip + 12, l4, address, port);
    }

    private void rewrite(int addressAt, int portAt, int address, int port) {
        int oldAddress = b.getInt(addressAt);
        int oldPort = b.getShort(portAt) & 0xffff;
        int ipSum = b.getShort(ip + 10) & 0xffff;
        b.putShort(ip + 10, (short) InternetChecksum.update32(ipSum, oldAddress, address));
        int at = l4ChecksumOffset();
        int l4Sum = b.getShort(at) & 0xffff;
        // A UDP datagram sent without a checksum stays without one (RFC 768).
        if (!(protocol == PROTO_UDP && l4Sum == 0)) {
            // The address is in the pseudo-header, the port in the header itself (RFC 1624 applies to both).
            int c = InternetChecksum.update16(InternetChecksum.update32(l4Sum, oldAddress, address), oldPort, port);
            if (protocol == PROTO_UDP && c == 0) {
                c = 0xffff;
            }
            b.putShort(at, (short) c);
        }
        b.putInt(addressAt, address);
        b.putShort(portAt, (short) port);
    }
}
