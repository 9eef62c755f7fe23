package org.lvsha.core.platform;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Writers and readers for the {@code struct sockaddr_*} layouts the platform layer uses, at offset 0
 * of a {@link NativeBuffer}. Multi-byte fields are host order except ports and {@code sll_protocol},
 * which the kernel wants in network order.
 */
public final class SockAddr {
    /** {@code sizeof(struct sockaddr_in)}. */
    public static final int IN_SIZE = 16;
    /** {@code sizeof(struct sockaddr_in6)}. */
    public static final int IN6_SIZE = 28;
    /** {@code sizeof(struct sockaddr_ll)}. */
    public static final int LL_SIZE = 20;
    /** {@code sizeof(struct sockaddr_nl)}. */
    public static final int NL_SIZE = 12;

    private SockAddr() {
    }

    /** Writes sockaddr_in or sockaddr_in6 (port 0; scope id for link-local IPv6) and returns its length. */
    public static int writeInet(ByteBuffer b, InetAddress address, int scopeId) {
        if (address instanceof Inet4Address) {
            clear(b, IN_SIZE);
            b.putShort(0, (short) Native.AF_INET);
            b.put(4, address.getAddress());
            return IN_SIZE;
        }
        clear(b, IN6_SIZE);
        b.putShort(0, (short) Native.AF_INET6);
        b.put(8, address.getAddress());
        b.putInt(24, scopeId);
        return IN6_SIZE;
    }

    /** Writes sockaddr_ll for {@code ifindex}; {@code protocol} is the ETH_P_* value in host order. */
    public static int writeLinkLayer(ByteBuffer b, int ifindex, int protocol, byte[] mac) {
        clear(b, LL_SIZE);
        b.putShort(0, (short) Native.AF_PACKET);
        b.order(ByteOrder.BIG_ENDIAN).putShort(2, (short) protocol).order(ByteOrder.nativeOrder());
        b.putInt(4, ifindex);
        if (mac != null) {
            b.put(11, (byte) mac.length);
            b.put(12, mac);
        }
        return LL_SIZE;
    }

    /** Writes sockaddr_nl with the given port id (0: let the kernel choose) and multicast groups. */
    public static int writeNetlink(ByteBuffer b, int portId, int groups) {
        clear(b, NL_SIZE);
        b.putShort(0, (short) Native.AF_NETLINK);
        b.putInt(4, portId);
        b.putInt(8, groups);
        return NL_SIZE;
    }

    /** Reads the address of a sockaddr_in/in6 at offset 0 (the family field decides). */
    public static InetAddress readInet(ByteBuffer b) {
        int family = b.getShort(0);
        try {
            if (family == Native.AF_INET) {
                byte[] a = new byte[4];
                b.get(4, a);
                return InetAddress.getByAddress(a);
            }
            if (family == Native.AF_INET6) {
                byte[] a = new byte[16];
                b.get(8, a);
                return Inet6Address.getByAddress(null, a, b.getInt(24));
            }
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // cannot happen: lengths are fixed above
        }
        throw new IllegalArgumentException("not an inet sockaddr: family " + family);
    }

    private static void clear(ByteBuffer b, int n) {
        for (int i = 0; i < n; i++) {
            b.put(i, (byte) 0);
        }
    }
}
