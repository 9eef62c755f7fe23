package org.lvsha.core.platform.packet;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import org.lvsha.core.platform.MacAddress;

/**
 * An unsolicited neighbour advertisement frame (RFC 4861 §7.2.6) announcing that an IPv6 address now
 * lives at a MAC: to all-nodes ff02::1 (Ethernet 33:33:00:00:00:01), hop limit 255 (receivers drop
 * anything else, §7.1.2), ICMPv6 type 136 with the Override flag and without Solicited (which a
 * multicast NA must not carry), and a Target Link-Layer Address option.
 */
public final class UnsolicitedNeighbourAdvertisement {
    /** Ethernet (14) + IPv6 (40) + ICMPv6 NA (24) + target link-layer option (8). */
    public static final int LENGTH = 86;
    static final int ICMPV6_LENGTH = 32;
    static final int ICMPV6 = 58;
    static final int TYPE_NEIGHBOUR_ADVERTISEMENT = 136;
    static final int FLAG_ROUTER = 0x80;
    static final int FLAG_OVERRIDE = 0x20;
    static final int OPTION_TARGET_LINK_LAYER_ADDRESS = 2;
    static final Inet6Address ALL_NODES = allNodes();
    private static final byte[] ALL_NODES_MAC = {0x33, 0x33, 0, 0, 0, 1};

    private UnsolicitedNeighbourAdvertisement() {
    }

    /**
     * Builds the frame. {@code source} is the IPv6 source address; the announced address itself is a
     * valid choice (it is ours), a link-local address of the interface is the other usual one.
     */
    public static byte[] build(MacAddress sender, Inet6Address target, InetAddress source) {
        ByteBuffer b = ByteBuffer.allocate(LENGTH);
        byte[] mac = sender.bytes();
        b.put(ALL_NODES_MAC).put(mac).putShort((short) EtherType.ETH_P_IPV6);
        // IPv6 header: version 6, traffic class 0, flow label 0.
        b.putInt(0x60000000).putShort((short) ICMPV6_LENGTH).put((byte) ICMPV6).put((byte) 255);
        b.put(source.getAddress()).put(ALL_NODES.getAddress());
        int icmp = b.position();
        b.put((byte) TYPE_NEIGHBOUR_ADVERTISEMENT).put((byte) 0).putShort((short) 0);
        b.put((byte) FLAG_OVERRIDE).put(new byte[3]);
        b.put(target.getAddress());
        b.put((byte) OPTION_TARGET_LINK_LAYER_ADDRESS).put((byte) 1).put(mac);
        int sum = checksum(source.getAddress(), ALL_NODES.getAddress(), b.array(), icmp, ICMPV6_LENGTH);
        b.putShort(icmp + 2, (short) sum);
        return b.array();
    }

    /**
     * The ICMPv6 checksum (RFC 4443 §2.3): one's complement sum over the pseudo-header (RFC 8200 §8.1:
     * source, destination, upper-layer length, next header 58) and the message with its checksum zero.
     */
    static int checksum(byte[] src, byte[] dst, byte[] data, int offset, int length) {
        long sum = 0;
        sum += sumWords(src, 0, 16);
        sum += sumWords(dst, 0, 16);
        sum += length;
        sum += ICMPV6;
        sum += sumWords(data, offset, length);
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        int result = (int) (~sum & 0xffff);
        return result;
    }

    private static long sumWords(byte[] b, int offset, int length) {
        long sum = 0;
        for (int i = 0; i + 1 < length; i += 2) {
            sum += ((b[offset + i] & 0xff) << 8) | (b[offset + i + 1] & 0xff);
        }
        if ((length & 1) != 0) {
            sum += (b[offset + length - 1] & 0xff) << 8;
        }
        return sum;
    }

    private static Inet6Address allNodes() {
        try {
            return (Inet6Address) InetAddress.getByAddress(new byte[] {(byte) 0xff, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1});
        } catch (UnknownHostException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
