package org.lvsha.sync.kernel.relay;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import org.lvsha.sync.kernel.KernelSyncSender;

/**
 * Hands re-encoded sync datagrams to the kernel backup daemon on this host.
 *
 * <p>The backup daemon's socket is bound to group:port, bound to the sync interface (SO_BINDTODEVICE) and
 * joined to the group there (reference notes §1.1). A datagram we multicast out of that interface with
 * IP_MULTICAST_LOOP on is looped back by the IP layer as if received on that interface, so the daemon takes
 * it. With TTL 0 (the default here) the kernel delivers the looped copy and drops the original before the
 * device ("multicasts with ttl 0 must not go beyond the host", ip_mc_output): an injected datagram never
 * reaches the segment, so no other director's kernel or relay can see it — the first guard against loops.
 * A TTL of 1 would also reach kernel backups on the segment (a relay feeding several directors), at the
 * price of the relays having to recognise their own datagrams ({@link #localPort()}).
 */
public final class KernelSyncInjector implements KernelSyncSender, AutoCloseable {
    private final DatagramChannel channel;
    private final InetSocketAddress target;

    /**
     * @param nif   the sync interface (the backup daemon's {@code --mcast-interface})
     * @param group the backup daemon's group (224.0.0.81 by default)
     * @param port  the backup daemon's port (8848 by default)
     * @param ttl   0 = this host only; 1 = also the segment
     */
    public KernelSyncInjector(NetworkInterface nif, InetAddress group, int port, int ttl) throws IOException {
        if (!(group instanceof Inet4Address) || !group.isMulticastAddress()) {
            throw new IllegalArgumentException("the kernel sync group must be an IPv4 multicast address here: " + group);
        }
        this.target = new InetSocketAddress(group, port);
        DatagramChannel c = DatagramChannel.open(StandardProtocolFamily.INET);
        try {
            c.setOption(StandardSocketOptions.IP_MULTICAST_IF, nif);
            c.setOption(StandardSocketOptions.IP_MULTICAST_LOOP, true);
            c.setOption(StandardSocketOptions.IP_MULTICAST_TTL, ttl);
            c.bind(new InetSocketAddress(firstIpv4(nif), 0));
        } catch (IOException | RuntimeException e) {
            c.close();
            throw e;
        }
        this.channel = c;
    }

    private static InetAddress firstIpv4(NetworkInterface nif) throws IOException {
        return nif.inetAddresses().filter(a -> a instanceof Inet4Address).findFirst()
                .orElseThrow(() -> new IOException("no IPv4 address on sync interface " + nif.getName()));
    }

    @Override
    public void send(byte[] datagram) throws IOException {
        int n = channel.send(ByteBuffer.wrap(datagram), target);
        if (n != datagram.length) {
            throw new IOException("socket buffer full: datagram of " + datagram.length + " bytes not sent to " + target);
        }
    }

    /** The UDP source port of every injected datagram: the capture ignores datagrams from it. */
    public int localPort() throws IOException {
        return ((InetSocketAddress) channel.getLocalAddress()).getPort();
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
