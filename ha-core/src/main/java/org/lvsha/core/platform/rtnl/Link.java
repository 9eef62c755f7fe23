package org.lvsha.core.platform.rtnl;

import org.lvsha.core.platform.MacAddress;
import org.lvsha.core.platform.netlink.NetlinkAttributes;
import org.lvsha.core.platform.netlink.NetlinkMessage;

/**
 * A network interface as RTM_NEWLINK describes it.
 *
 * @param mac   the hardware address, or null for devices without one
 * @param flags IFF_* bits (linux/if.h)
 */
public record Link(int index, String name, MacAddress mac, int mtu, OperState operState, int flags) {
    public static final int IFF_UP = 0x1;
    public static final int IFF_BROADCAST = 0x2;
    public static final int IFF_LOOPBACK = 0x8;
    public static final int IFF_RUNNING = 0x40;
    public static final int IFF_MULTICAST = 0x1000;
    public static final int IFF_LOWER_UP = 0x10000;

    /** {@code struct ifinfomsg}: u8 family, u8 pad, u16 type, i32 index, u32 flags, u32 change. */
    static final int IFINFOMSG_SIZE = 16;
    static final int IFLA_ADDRESS = 1;
    static final int IFLA_IFNAME = 3;
    static final int IFLA_MTU = 4;
    static final int IFLA_OPERSTATE = 16;

    /** Administratively up ({@code ip link set X up}). */
    public boolean isUp() {
        return (flags & IFF_UP) != 0;
    }

    /** Up and with carrier: frames can flow. */
    public boolean isRunning() {
        return isUp() && (flags & IFF_LOWER_UP) != 0;
    }

    /** Parses an RTM_NEWLINK / RTM_DELLINK message. */
    public static Link parse(NetlinkMessage m) {
        if (m.payload().limit() < IFINFOMSG_SIZE) {
            throw new IllegalArgumentException("link message of " + m.payload().limit() + " bytes");
        }
        int index = m.payload().getInt(4);
        int flags = m.payload().getInt(8);
        NetlinkAttributes a = m.attributes(IFINFOMSG_SIZE);
        byte[] hw = a.has(IFLA_ADDRESS) ? a.bytes(IFLA_ADDRESS) : null;
        return new Link(index,
                a.has(IFLA_IFNAME) ? a.string(IFLA_IFNAME) : "if" + index,
                hw != null && hw.length == 6 ? new MacAddress(hw) : null,
                a.has(IFLA_MTU) ? a.u32(IFLA_MTU) : 0,
                a.has(IFLA_OPERSTATE) ? OperState.of(a.u8(IFLA_OPERSTATE)) : OperState.UNKNOWN,
                flags);
    }

    static byte[] ifinfomsg(int family, int index) {
        byte[] b = new byte[IFINFOMSG_SIZE];
        b[0] = (byte) family;
        java.nio.ByteBuffer.wrap(b).order(java.nio.ByteOrder.nativeOrder()).putInt(4, index);
        return b;
    }
}
