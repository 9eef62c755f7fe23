package org.lvsha.core.platform.rtnl;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.lvsha.core.platform.Errno;
import org.lvsha.core.platform.ErrnoException;
import org.lvsha.core.platform.Native;
import org.lvsha.core.platform.netlink.NetlinkAttributeWriter;
import org.lvsha.core.platform.netlink.NetlinkMessage;
import org.lvsha.core.platform.netlink.NetlinkSocket;

/**
 * rtnetlink requests: links, addresses and neighbours in the network namespace where it was opened.
 * Failures throw {@link ErrnoException} naming the message type, the object and the errno, e.g.
 * {@code RTM_DELADDR 192.0.2.100/24 dev eth0: EADDRNOTAVAIL (Cannot assign requested address)}.
 * Not thread-safe: one owner thread (or synchronize around it).
 */
public final class RtNetlink implements AutoCloseable {
    public static final int RTM_NEWLINK = 16;
    public static final int RTM_DELLINK = 17;
    public static final int RTM_GETLINK = 18;
    public static final int RTM_NEWADDR = 20;
    public static final int RTM_DELADDR = 21;
    public static final int RTM_GETADDR = 22;
    public static final int RTM_NEWNEIGH = 28;
    public static final int RTM_GETNEIGH = 30;
    /** Multicast group bit for link events (RTMGRP_LINK). */
    public static final int RTMGRP_LINK = 1;

    private static final int AF_UNSPEC = 0;

    private final NetlinkSocket socket;

    private RtNetlink(NetlinkSocket socket) {
        this.socket = socket;
    }

    /** Opens an rtnetlink request socket in the calling thread's namespace. */
    public static RtNetlink open() {
        return new RtNetlink(NetlinkSocket.open(NetlinkSocket.NETLINK_ROUTE, 0));
    }

    public List<Link> links() {
        List<Link> out = new ArrayList<>();
        for (NetlinkMessage m : socket.request(RTM_GETLINK, NetlinkMessage.NLM_F_DUMP, Link.ifinfomsg(AF_UNSPEC, 0), new byte[0], "RTM_GETLINK", "dump")) {
            if (m.type() == RTM_NEWLINK) {
                out.add(Link.parse(m));
            }
        }
        return out;
    }

    /** The link called {@code name}, or empty when there is none (ENODEV). */
    public Optional<Link> link(String name) {
        byte[] attrs = new NetlinkAttributeWriter().putString(Link.IFLA_IFNAME, name).toByteArray();
        try {
            return firstLink(socket.request(RTM_GETLINK, 0, Link.ifinfomsg(AF_UNSPEC, 0), attrs, "RTM_GETLINK", "dev " + name));
        } catch (ErrnoException e) {
            if (e.errno() == Errno.ENODEV) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** The link with index {@code index}, or empty when there is none. */
    public Optional<Link> link(int index) {
        try {
            return firstLink(socket.request(RTM_GETLINK, 0, Link.ifinfomsg(AF_UNSPEC, index), new byte[0], "RTM_GETLINK", "ifindex " + index));
        } catch (ErrnoException e) {
            if (e.errno() == Errno.ENODEV) {
                return Optional.empty();
            }
            throw e;
        }
    }

    private static Optional<Link> firstLink(List<NetlinkMessage> replies) {
        return replies.stream().filter(m -> m.type() == RTM_NEWLINK).findFirst().map(Link::parse);
    }

    /** Every address of {@code family} ({@link Native#AF_INET}, {@link Native#AF_INET6}, or 0 for both). */
    public List<InterfaceAddress> addresses(int family) {
        byte[] ifaddrmsg = new byte[InterfaceAddress.IFADDRMSG_SIZE];
        ifaddrmsg[0] = (byte) family;
        List<InterfaceAddress> out = new ArrayList<>();
        for (NetlinkMessage m : socket.request(RTM_GETADDR, NetlinkMessage.NLM_F_DUMP, ifaddrmsg, new byte[0], "RTM_GETADDR", "dump")) {
            if (m.type() == RTM_NEWADDR) {
                out.add(InterfaceAddress.parse(m));
            }
        }
        return out;
    }

    /** The addresses of {@code family} on interface {@code ifIndex}. */
    public List<InterfaceAddress> addresses(int family, int ifIndex) {
        List<InterfaceAddress> out = new ArrayList<>();
        for (InterfaceAddress a : addresses(family)) {
            if (a.ifIndex() == ifIndex) {
                out.add(a);
            }
        }
        return out;
    }

    /** Adds an address; EEXIST if it is already there (callers wanting idempotence catch that). */
    public void addAddress(InterfaceAddress a) {
        int flags = NetlinkMessage.NLM_F_CREATE | NetlinkMessage.NLM_F_EXCL;
        try {
            socket.request(RTM_NEWADDR, flags, a.ifaddrmsg(), a.requestAttributes(), "RTM_NEWADDR", "");
        } catch (ErrnoException e) {
            throw rename(e, "RTM_NEWADDR", a);
        }
    }

    /** Deletes an address; EADDRNOTAVAIL if it is not there. */
    public void deleteAddress(InterfaceAddress a) {
        try {
            socket.request(RTM_DELADDR, 0, a.ifaddrmsg(), a.requestAttributes(), "RTM_DELADDR", "");
        } catch (ErrnoException e) {
            throw rename(e, "RTM_DELADDR", a);
        }
    }

    /** Rebuilds an error with the address and device name, looked up only now that something failed. */
    private ErrnoException rename(ErrnoException e, String op, InterfaceAddress a) {
        String dev;
        try {
            dev = link(a.ifIndex()).map(Link::name).orElse("ifindex " + a.ifIndex());
        } catch (ErrnoException ignored) {
            dev = "ifindex " + a.ifIndex();
        }
        ErrnoException named = new ErrnoException(op, a.cidr() + " dev " + dev + (a.label() != null ? " label " + a.label() : ""), e.errno(), e.kernelMessage());
        named.addSuppressed(e);
        return named;
    }

    /** The neighbour cache of {@code family} (AF_INET for ARP, AF_INET6 for NDP, 0 for both). */
    public List<Neighbour> neighbours(int family) {
        List<Neighbour> out = new ArrayList<>();
        for (NetlinkMessage m : socket.request(RTM_GETNEIGH, NetlinkMessage.NLM_F_DUMP, Neighbour.ndmsg(family, 0), new byte[0], "RTM_GETNEIGH", "dump")) {
            if (m.type() == RTM_NEWNEIGH) {
                out.add(Neighbour.parse(m));
            }
        }
        return out;
    }

    /** The cache entry for {@code address} on {@code ifIndex}, if any. */
    public Optional<Neighbour> neighbour(int ifIndex, InetAddress address) {
        int family = InterfaceAddress.isIpv4(address) ? Native.AF_INET : Native.AF_INET6;
        return neighbours(family).stream()
                .filter(n -> n.ifIndex() == ifIndex && address.equals(n.address()))
                .findFirst();
    }

    public NetlinkSocket netlink() {
        return socket;
    }

    @Override
    public void close() {
        socket.close();
    }
}
