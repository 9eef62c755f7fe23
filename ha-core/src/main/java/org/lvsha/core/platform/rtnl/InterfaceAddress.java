package org.lvsha.core.platform.rtnl;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.lvsha.core.platform.Native;
import org.lvsha.core.platform.netlink.NetlinkAttributeWriter;
import org.lvsha.core.platform.netlink.NetlinkAttributes;
import org.lvsha.core.platform.netlink.NetlinkMessage;

/**
 * An address on an interface, as RTM_NEWADDR carries it (and as we send it to add or delete one).
 *
 * @param label IPv4 label such as {@code eth0:0} or null (the kernel then uses the device name)
 * @param scope RT_SCOPE_* (0 universe/global, 253 link, 254 host)
 * @param flags IFA_F_* bits, sent both in the 8-bit ifa_flags and the 32-bit IFA_FLAGS attribute
 */
public record InterfaceAddress(int ifIndex, InetAddress address, int prefixLength, String label, int scope, int flags) {
    public static final int RT_SCOPE_UNIVERSE = 0;
    public static final int RT_SCOPE_LINK = 253;
    public static final int RT_SCOPE_HOST = 254;

    public static final int IFA_F_SECONDARY = 0x01;
    public static final int IFA_F_NODAD = 0x02;
    public static final int IFA_F_DADFAILED = 0x08;
    public static final int IFA_F_TENTATIVE = 0x40;
    public static final int IFA_F_PERMANENT = 0x80;
    public static final int IFA_F_NOPREFIXROUTE = 0x200;

    /** {@code struct ifaddrmsg}: u8 family, u8 prefixlen, u8 flags, u8 scope, u32 index. */
    static final int IFADDRMSG_SIZE = 8;
    static final int IFA_ADDRESS = 1;
    static final int IFA_LOCAL = 2;
    static final int IFA_LABEL = 3;
    static final int IFA_FLAGS = 8;

    /** A global-scope address without label or flags. */
    public static InterfaceAddress of(int ifIndex, InetAddress address, int prefixLength) {
        return new InterfaceAddress(ifIndex, address, prefixLength, null, RT_SCOPE_UNIVERSE, 0);
    }

    public InterfaceAddress withLabel(String newLabel) {
        return new InterfaceAddress(ifIndex, address, prefixLength, newLabel, scope, flags);
    }

    public InterfaceAddress withFlags(int newFlags) {
        return new InterfaceAddress(ifIndex, address, prefixLength, label, scope, newFlags);
    }

    public InterfaceAddress withScope(int newScope) {
        return new InterfaceAddress(ifIndex, address, prefixLength, label, newScope, flags);
    }

    public boolean ipv6() {
        return address instanceof Inet6Address;
    }

    public int family() {
        return ipv6() ? Native.AF_INET6 : Native.AF_INET;
    }

    /** The ifaddrmsg for a request about this address. */
    public byte[] ifaddrmsg() {
        ByteBuffer b = ByteBuffer.allocate(IFADDRMSG_SIZE).order(ByteOrder.nativeOrder());
        b.put((byte) family()).put((byte) prefixLength).put((byte) (flags & 0xff)).put((byte) scope).putInt(ifIndex);
        return b.array();
    }

    /**
     * The attributes for RTM_NEWADDR / RTM_DELADDR, as {@code ip addr} sends them: IFA_LOCAL and
     * IFA_ADDRESS both set to the address (no peer), the label, and IFA_FLAGS when any flag is set
     * (the 8-bit field cannot carry flags above 0x80, e.g. IFA_F_NOPREFIXROUTE).
     */
    public byte[] requestAttributes() {
        NetlinkAttributeWriter w = new NetlinkAttributeWriter()
                .putAddress(IFA_LOCAL, address)
                .putAddress(IFA_ADDRESS, address);
        if (label != null) {
            w.putString(IFA_LABEL, label);
        }
        if (flags != 0) {
            w.putU32(IFA_FLAGS, flags);
        }
        return w.toByteArray();
    }

    /** Parses an RTM_NEWADDR message. */
    public static InterfaceAddress parse(NetlinkMessage m) {
        ByteBuffer p = m.payload();
        if (p.limit() < IFADDRMSG_SIZE) {
            throw new IllegalArgumentException("address message of " + p.limit() + " bytes");
        }
        int prefix = Byte.toUnsignedInt(p.get(1));
        int flags8 = Byte.toUnsignedInt(p.get(2));
        int scope = Byte.toUnsignedInt(p.get(3));
        int index = p.getInt(4);
        NetlinkAttributes a = m.attributes(IFADDRMSG_SIZE);
        // For point-to-point IPv4 IFA_ADDRESS is the peer: IFA_LOCAL is ours whenever present.
        InetAddress addr = a.has(IFA_LOCAL) ? a.address(IFA_LOCAL) : a.address(IFA_ADDRESS);
        String label = a.has(IFA_LABEL) ? a.string(IFA_LABEL) : null;
        int flags = a.has(IFA_FLAGS) ? a.u32(IFA_FLAGS) : flags8;
        return new InterfaceAddress(index, addr, prefix, label, scope, flags);
    }

    /** Same address and prefix on the same interface (label, scope and flags aside). */
    public boolean sameAs(InterfaceAddress other) {
        return ifIndex == other.ifIndex && prefixLength == other.prefixLength && address.equals(other.address);
    }

    /** {@code 192.0.2.100/24}, as the object named in errors. */
    public String cidr() {
        return address.getHostAddress() + "/" + prefixLength;
    }

    static boolean isIpv4(InetAddress a) {
        return a instanceof Inet4Address;
    }
}
