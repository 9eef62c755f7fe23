package org.lvsha.core.platform.rtnl;

import java.net.Inet4Address;
import java.net.Inet6Address;
import org.lvsha.core.net.AddressManager;
import org.lvsha.core.net.VirtualAddress;
import org.lvsha.core.platform.Errno;
import org.lvsha.core.platform.ErrnoException;
import org.lvsha.core.platform.MacAddress;
import org.lvsha.core.platform.packet.GratuitousArp;
import org.lvsha.core.platform.packet.PacketSocket;
import org.lvsha.core.platform.packet.UnsolicitedNeighbourAdvertisement;

/**
 * {@link AddressManager} on Linux: addresses through rtnetlink, announcements as gratuitous ARP /
 * unsolicited neighbour advertisement frames through an AF_PACKET socket. Works in the network
 * namespace where {@link #open()} was called. Methods are synchronized: VRRP instances of a sync
 * group may share one.
 *
 * <p>Idempotence: EEXIST on add and EADDRNOTAVAIL on remove mean the address is already as wanted;
 * a removal from a device that no longer exists (ENODEV) is likewise done. Every other failure is
 * thrown as {@link ErrnoException} naming operation, address, device and errno.
 */
public final class LinuxAddressManager implements AddressManager, AutoCloseable {
    private final RtNetlink rtnl;
    private final PacketSocket announcer;

    private LinuxAddressManager(RtNetlink rtnl, PacketSocket announcer) {
        this.rtnl = rtnl;
        this.announcer = announcer;
    }

    public static LinuxAddressManager open() {
        RtNetlink rtnl = RtNetlink.open();
        try {
            return new LinuxAddressManager(rtnl, PacketSocket.openSender());
        } catch (RuntimeException e) {
            rtnl.close();
            throw e;
        }
    }

    @Override
    public synchronized void add(VirtualAddress address) {
        Link link = requireLink(address, "RTM_NEWADDR");
        try {
            rtnl.addAddress(request(address, link));
        } catch (ErrnoException e) {
            if (e.errno() != Errno.EEXIST) {
                throw e;
            }
        }
    }

    @Override
    public synchronized void remove(VirtualAddress address) {
        Link link = rtnl.link(address.interfaceName()).orElse(null);
        if (link == null) {
            return; // the device is gone, and its addresses with it
        }
        try {
            rtnl.deleteAddress(request(address, link));
        } catch (ErrnoException e) {
            if (e.errno() != Errno.EADDRNOTAVAIL && e.errno() != Errno.ENODEV) {
                throw e;
            }
        }
    }

    @Override
    public synchronized boolean isPresent(VirtualAddress address) {
        Link link = rtnl.link(address.interfaceName()).orElse(null);
        if (link == null) {
            return false;
        }
        InterfaceAddress wanted = request(address, link);
        return rtnl.addresses(wanted.family(), link.index()).stream().anyMatch(wanted::sameAs);
    }

    @Override
    public synchronized void announce(VirtualAddress address) {
        Link link = requireLink(address, "announce");
        MacAddress mac = link.mac();
        if (mac == null) {
            throw new ErrnoException("announce", address.toString(), Errno.EINVAL, "the device has no MAC address");
        }
        byte[] frame = address.ipv6()
                ? UnsolicitedNeighbourAdvertisement.build(mac, (Inet6Address) address.address(), address.address())
                : GratuitousArp.build(mac, (Inet4Address) address.address());
        if (!announcer.send(link.index(), frame)) {
            throw new ErrnoException("announce", address.toString(), Errno.EAGAIN, "socket buffer full");
        }
    }

    private Link requireLink(VirtualAddress address, String operation) {
        return rtnl.link(address.interfaceName()).orElseThrow(() ->
                new ErrnoException(operation, address.toString(), Errno.ENODEV, null));
    }

    /** IPv6 addresses go in with NODAD so they are usable at once (a VIP taken over must not wait for DAD). */
    private static InterfaceAddress request(VirtualAddress address, Link link) {
        InterfaceAddress a = InterfaceAddress.of(link.index(), address.address(), address.prefixLength());
        if (address.ipv6()) {
            return a.withFlags(InterfaceAddress.IFA_F_NODAD);
        }
        return a.withLabel(address.label());
    }

    /** The rtnetlink socket, for callers needing more than the port offers (in the same namespace). */
    public RtNetlink rtNetlink() {
        return rtnl;
    }

    @Override
    public synchronized void close() {
        announcer.close();
        rtnl.close();
    }
}
