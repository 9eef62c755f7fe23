package org.lvsha.vrrp.transport;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.lvsha.core.platform.PollSet;
import org.lvsha.core.platform.raw.RawIpSocket;
import org.lvsha.core.platform.raw.ReceivedPacket;
import org.lvsha.vrrp.codec.IpFacts;
import org.lvsha.vrrp.codec.VrrpCodec;
import org.lvsha.vrrp.config.InstanceConfig;
import org.lvsha.vrrp.config.NodeConfig;
import org.lvsha.vrrp.node.ReceivedDatagram;
import org.lvsha.vrrp.node.VrrpTransport;

/**
 * {@link VrrpTransport} over raw IP sockets (protocol 112): one socket per interface and address family
 * the node's instances use, opened in the calling thread's network namespace, bound to the interface
 * (SO_BINDTODEVICE), sending with TTL / hop limit 255 (RFC 5798 §5.1.1.3, §5.1.2.3; RFC 3768 §5.2.3) from
 * the instance's primary address (IPv6: its link-local address, RFC 5798 §5.1.2.1), multicast loopback off.
 *
 * <p>No thread of its own: the node's owner thread waits in {@link #awaitReceived} on all the sockets and
 * a wake-up eventfd at once ({@link PollSet}, nanosecond timeout = the next VRRP timer), then
 * {@link #drainReceived()} reads what is queued and hands it to the node on that same thread. The
 * receive-side checks (TTL 255, checksum, VRID, unicast peer source) are the node's and codec's: this
 * class reports the facts ({@link IpFacts}) and filters nothing, so every bad datagram is counted.
 *
 * <p>Allocation: sending allocates nothing (destinations are prepared once, the payload is copied into
 * the socket's native buffer). Receiving allocates the datagram handed to the node (payload copy,
 * {@link IpFacts}, the record), a few hundred bytes per advert; source and destination addresses come
 * from a small cache so steady-state peers cost no {@link InetAddress}.
 */
public final class RawSocketTransport implements VrrpTransport {
    /** Per receive call and socket: bounded, so a flood cannot starve the node's timers. */
    private static final int MAX_DRAIN = 256;
    private static final int ADDRESS_CACHE = 16;

    private static final class Endpoint {
        final String interfaceName;
        final boolean ipv6;
        final RawIpSocket socket;
        final ReceivedPacket packet = new ReceivedPacket();
        final Map<InetAddress, RawIpSocket.Destination> destinations = new HashMap<>();
        final Set<InetAddress> joined = new HashSet<>();
        InetAddress source;

        Endpoint(String interfaceName, boolean ipv6, RawIpSocket socket) {
            this.interfaceName = interfaceName;
            this.ipv6 = ipv6;
            this.socket = socket;
        }
    }

    private final Endpoint[] endpoints;
    private final Map<String, Endpoint> v4 = new HashMap<>();
    private final Map<String, Endpoint> v6 = new HashMap<>();
    private final PollSet poll;
    private final byte[] scratch = new byte[16];
    private final byte[][] cachedBytes = new byte[ADDRESS_CACHE][];
    private final InetAddress[] cachedAddresses = new InetAddress[ADDRESS_CACHE];
    private int cacheNext;
    private volatile Consumer<ReceivedDatagram> receiver = d -> { };
    private long sendBufferFull;

    private RawSocketTransport(List<Endpoint> list) {
        endpoints = list.toArray(new Endpoint[0]);
        int[] fds = new int[endpoints.length];
        for (int i = 0; i < endpoints.length; i++) {
            Endpoint e = endpoints[i];
            (e.ipv6 ? v6 : v4).put(e.interfaceName, e);
            fds[i] = e.socket.socket().fd();
        }
        poll = new PollSet(fds);
    }

    /**
     * Opens a socket for every interface and family {@code config}'s instances use, and prepares their
     * destinations (the group, or each unicast peer). Unicast instances need their socket open before they
     * ever send: a backup only listens. On failure the sockets opened so far are closed.
     */
    public static RawSocketTransport open(NodeConfig config) {
        List<Endpoint> list = new ArrayList<>();
        Map<String, Endpoint> byKey = new HashMap<>();
        try {
            for (InstanceConfig c : config.instances()) {
                String key = c.interfaceName() + "/" + (c.ipv6() ? 6 : 4);
                Endpoint e = byKey.get(key);
                if (e == null) {
                    e = new Endpoint(c.interfaceName(), c.ipv6(),
                            RawIpSocket.open(c.ipv6(), VrrpCodec.IP_PROTOCOL, c.interfaceName()));
                    byKey.put(key, e);
                    list.add(e);
                }
                List<InetAddress> dst = c.unicastPeers().isEmpty() ? List.of(c.ipv6() ? GROUP_V6 : GROUP_V4) : c.unicastPeers();
                for (InetAddress d : dst) {
                    e.destinations.computeIfAbsent(d, e.socket::destination);
                }
            }
            return new RawSocketTransport(list);
        } catch (RuntimeException ex) {
            for (Endpoint e : list) {
                e.socket.close();
            }
            throw ex;
        }
    }

    private Endpoint endpoint(String interfaceName, InetAddress address) {
        Endpoint e = (address instanceof Inet6Address ? v6 : v4).get(interfaceName);
        if (e == null) {
            throw new IllegalArgumentException("no VRRP socket for " + (address instanceof Inet6Address ? "IPv6" : "IPv4")
                    + " on " + interfaceName + " (not in the configuration the transport was opened with)");
        }
        return e;
    }

    @Override
    public void join(String interfaceName, InetAddress group) {
        Endpoint e = endpoint(interfaceName, group);
        if (e.joined.add(group)) {
            e.socket.joinGroup(group);
        }
    }

    @Override
    public void send(String interfaceName, InetAddress source, InetAddress destination, byte[] buf, int off, int len) {
        Endpoint e = endpoint(interfaceName, destination);
        if (source != e.source) {
            // Several instances on one interface share the socket; they normally share the primary address too.
            e.socket.setSourceAddress(source);
            e.source = source;
        }
        RawIpSocket.Destination d = e.destinations.get(destination);
        if (d == null) {
            d = e.socket.destination(destination);
            e.destinations.put(destination, d);
        }
        if (!e.socket.send(buf, off, len, d)) {
            // EAGAIN: the socket buffer is full. An advert is idempotent and the next one follows within one
            // interval, so dropping it is the same as a lost packet on the wire (RFC 5798 §6.1 allows for loss).
            sendBufferFull++;
            throw new IllegalStateException("VRRP send on " + interfaceName + " to " + destination.getHostAddress()
                    + ": socket buffer full (EAGAIN)");
        }
    }

    @Override
    public void receiveWith(Consumer<ReceivedDatagram> receiver) {
        this.receiver = receiver;
    }

    @Override
    public void awaitReceived(long timeoutNanos) {
        poll.await(timeoutNanos);
    }

    @Override
    public void wakeup() {
        poll.wakeup();
    }

    @Override
    public void drainReceived() {
        Consumer<ReceivedDatagram> r = receiver;
        for (Endpoint e : endpoints) {
            for (int n = 0; n < MAX_DRAIN && e.socket.receive(e.packet); n++) {
                r.accept(toDatagram(e));
            }
        }
    }

    private ReceivedDatagram toDatagram(Endpoint e) {
        ReceivedPacket p = e.packet;
        int alen = p.addressLength();
        InetAddress src;
        InetAddress dst;
        if (alen != (e.ipv6 ? 16 : 4)) {
            // Unparseable IPv4 header (the socket reported it truncated): facts are unknown, the codec drops it.
            src = e.ipv6 ? GROUP_V6 : GROUP_V4;
            dst = src;
        } else {
            p.sourceAddress(scratch);
            src = cached(scratch, alen);
            p.destinationAddress(scratch);
            dst = cached(scratch, alen);
        }
        java.nio.ByteBuffer payload = p.payload();
        byte[] copy = new byte[payload.limit()];
        payload.get(0, copy);
        return new ReceivedDatagram(e.interfaceName, new IpFacts(src, dst, p.ttl()), copy, 0, copy.length);
    }

    private InetAddress cached(byte[] bytes, int len) {
        for (int i = 0; i < ADDRESS_CACHE; i++) {
            byte[] c = cachedBytes[i];
            if (c != null && c.length == len && Arrays.equals(c, 0, len, bytes, 0, len)) {
                return cachedAddresses[i];
            }
        }
        byte[] key = Arrays.copyOf(bytes, len);
        InetAddress a;
        try {
            a = InetAddress.getByAddress(key);
        } catch (UnknownHostException ex) {
            throw new IllegalStateException(ex);
        }
        int slot = cacheNext;
        cacheNext = (cacheNext + 1) % ADDRESS_CACHE;
        cachedBytes[slot] = key;
        cachedAddresses[slot] = a;
        return a;
    }

    /** Adverts dropped because the socket's send buffer was full. */
    public long sendBufferFull() {
        return sendBufferFull;
    }

    @Override
    public void close() {
        for (Endpoint e : endpoints) {
            e.socket.close();
        }
        poll.close();
    }
}
