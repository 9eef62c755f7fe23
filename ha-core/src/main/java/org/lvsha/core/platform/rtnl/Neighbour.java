package org.lvsha.core.platform.rtnl;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.lvsha.core.platform.MacAddress;
import org.lvsha.core.platform.netlink.NetlinkAttributes;
import org.lvsha.core.platform.netlink.NetlinkMessage;

/**
 * A neighbour (ARP / NDP) cache entry.
 *
 * @param mac   the link-layer address, or null while unresolved
 * @param state NUD_* bits (linux/neighbour.h)
 */
public record Neighbour(int ifIndex, InetAddress address, MacAddress mac, int state) {
    public static final int NUD_INCOMPLETE = 0x01;
    public static final int NUD_REACHABLE = 0x02;
    public static final int NUD_STALE = 0x04;
    public static final int NUD_DELAY = 0x08;
    public static final int NUD_PROBE = 0x10;
    public static final int NUD_FAILED = 0x20;
    public static final int NUD_NOARP = 0x40;
    public static final int NUD_PERMANENT = 0x80;

    /** {@code struct ndmsg}: u8 family, u8 pad1, u16 pad2, i32 ifindex, u16 state, u8 flags, u8 type. */
    static final int NDMSG_SIZE = 12;
    static final int NDA_DST = 1;
    static final int NDA_LLADDR = 2;

    private static final String[] STATE_NAMES = {"INCOMPLETE", "REACHABLE", "STALE", "DELAY", "PROBE", "FAILED", "NOARP", "PERMANENT"};

    /** Parses an RTM_NEWNEIGH message. */
    public static Neighbour parse(NetlinkMessage m) {
        ByteBuffer p = m.payload();
        if (p.limit() < NDMSG_SIZE) {
            throw new IllegalArgumentException("neighbour message of " + p.limit() + " bytes");
        }
        NetlinkAttributes a = m.attributes(NDMSG_SIZE);
        byte[] ll = a.has(NDA_LLADDR) ? a.bytes(NDA_LLADDR) : null;
        return new Neighbour(p.getInt(4), a.has(NDA_DST) ? a.address(NDA_DST) : null,
                ll != null && ll.length == 6 ? new MacAddress(ll) : null, Short.toUnsignedInt(p.getShort(8)));
    }

    static byte[] ndmsg(int family, int ifIndex) {
        byte[] b = new byte[NDMSG_SIZE];
        b[0] = (byte) family;
        ByteBuffer.wrap(b).order(java.nio.ByteOrder.nativeOrder()).putInt(4, ifIndex);
        return b;
    }

    /** The state as {@code ip neigh} prints it, e.g. {@code REACHABLE} or {@code STALE}. */
    public String stateName() {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < STATE_NAMES.length; i++) {
            if ((state & (1 << i)) != 0) {
                names.add(STATE_NAMES[i]);
            }
        }
        return names.isEmpty() ? "NONE" : String.join(",", names);
    }
}
