package org.lvsha.core.platform.packet;

import java.net.Inet4Address;
import java.nio.ByteBuffer;
import org.lvsha.core.platform.MacAddress;

/**
 * A gratuitous ARP frame in request form (RFC 5227 §3 "ARP Announcement"; what arping -U and
 * keepalived send): broadcast, sender and target protocol address both the announced IPv4 address,
 * target hardware address zero. Receivers that hold an entry for the address repoint it at the
 * sender's MAC (Linux treats sip == tip as gratuitous and overrides its lock time).
 */
public final class GratuitousArp {
    /** Ethernet header (14) + ARP for IPv4 over Ethernet (28). Drivers pad to the 60-byte minimum. */
    public static final int LENGTH = 42;
    private static final int ARPHRD_ETHER = 1;
    private static final int ARPOP_REQUEST = 1;

    private GratuitousArp() {
    }

    public static byte[] build(MacAddress sender, Inet4Address address) {
        ByteBuffer b = ByteBuffer.allocate(LENGTH);
        write(b, sender, address);
        return b.array();
    }

    /** Writes the frame at {@code b}'s position (big-endian fields) and advances it. */
    public static void write(ByteBuffer b, MacAddress sender, Inet4Address address) {
        byte[] mac = sender.bytes();
        byte[] ip = address.getAddress();
        b.put(MacAddress.BROADCAST.bytes()).put(mac).putShort((short) EtherType.ETH_P_ARP);
        b.putShort((short) ARPHRD_ETHER).putShort((short) EtherType.ETH_P_IP).put((byte) 6).put((byte) 4).putShort((short) ARPOP_REQUEST);
        b.put(mac).put(ip);
        b.put(new byte[6]).put(ip);
    }
}
