package org.lvsha.sync.kernel.relay;

/**
 * Finds the kernel sync payload in an Ethernet frame captured on the sync interface: IPv4, UDP, not a
 * fragment, to the sync group and port (reference notes §1.1: one message is one datagram; the master
 * allows fragmentation, but at the default maxlen of 1472 a datagram fits a 1500-byte MTU unfragmented).
 * A decoder and nothing else: bytes in, offsets out; anything else is refused with a reason.
 */
public final class SyncFrame {
    static final int ETH_HEADER = 14;
    static final int UDP_HEADER = 8;

    /** Why a frame is not a sync datagram. */
    public enum Refusal { TOO_SHORT, NOT_IPV4, NOT_UDP, FRAGMENT, OTHER_GROUP, OTHER_PORT, BAD_LENGTH }

    private int payloadOffset;
    private int payloadLength;
    private int sourcePort;
    private int sourceAddress;
    private Refusal refusal;

    /**
     * Parses {@code frame[0, length)}; true when it is a UDP datagram to {@code group}:{@code port}
     * (then {@link #payloadOffset()} etc. describe it), false with {@link #refusal()} otherwise.
     */
    public boolean parse(byte[] frame, int length, int group, int port) {
        refusal = check(frame, length, group, port);
        return refusal == null;
    }

    private Refusal check(byte[] f, int length, int group, int port) {
        if (length < ETH_HEADER + 20 + UDP_HEADER) {
            return Refusal.TOO_SHORT;
        }
        if (u16(f, 12) != 0x0800 || (f[ETH_HEADER] & 0xf0) != 0x40) {
            return Refusal.NOT_IPV4;
        }
        int ihl = (f[ETH_HEADER] & 0x0f) * 4;
        if (ihl < 20 || length < ETH_HEADER + ihl + UDP_HEADER) {
            return Refusal.TOO_SHORT;
        }
        if ((f[ETH_HEADER + 9] & 0xff) != 17) {
            return Refusal.NOT_UDP;
        }
        if ((u16(f, ETH_HEADER + 6) & 0x3fff) != 0) {
            return Refusal.FRAGMENT; // MF set or a non-zero offset
        }
        if (s32(f, ETH_HEADER + 16) != group) {
            return Refusal.OTHER_GROUP;
        }
        int udp = ETH_HEADER + ihl;
        if (u16(f, udp + 2) != port) {
            return Refusal.OTHER_PORT;
        }
        int ipTotal = u16(f, ETH_HEADER + 2);
        int udpLength = u16(f, udp + 4);
        // the frame may carry Ethernet padding after the IP packet, never less than it
        if (ipTotal > length - ETH_HEADER || udpLength < UDP_HEADER || udpLength > ipTotal - ihl) {
            return Refusal.BAD_LENGTH;
        }
        sourceAddress = s32(f, ETH_HEADER + 12);
        sourcePort = u16(f, udp);
        payloadOffset = udp + UDP_HEADER;
        payloadLength = udpLength - UDP_HEADER;
        return null;
    }

    public int payloadOffset() {
        return payloadOffset;
    }

    public int payloadLength() {
        return payloadLength;
    }

    public int sourcePort() {
        return sourcePort;
    }

    /** The IPv4 source address as a big-endian int. */
    public int sourceAddress() {
        return sourceAddress;
    }

    public Refusal refusal() {
        return refusal;
    }

    private static int u16(byte[] b, int o) {
        return ((b[o] & 0xff) << 8) | (b[o + 1] & 0xff);
    }

    private static int s32(byte[] b, int o) {
        return ((b[o] & 0xff) << 24) | ((b[o + 1] & 0xff) << 16) | ((b[o + 2] & 0xff) << 8) | (b[o + 3] & 0xff);
    }
}
