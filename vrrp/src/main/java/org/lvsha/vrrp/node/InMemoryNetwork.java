package org.lvsha.vrrp.node;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.function.Consumer;
import org.lvsha.vrrp.MonotonicClock;
import org.lvsha.vrrp.codec.IpFacts;

/**
 * Segments (bridges) joining in-memory transports, on a virtual clock: what is sent at t is delivered
 * at t + latency, with TTL 255, to the ports on the same segment that joined the group (multicast) or
 * own the destination (unicast). A node can be cut off (crash without goodbye) or lose one link.
 * Single-threaded: the simulation drives {@link #deliverDue()}.
 */
public final class InMemoryNetwork {
    /** One datagram as it went out, for assertions. */
    public record Sent(long time, String node, String interfaceName, InetAddress source, InetAddress destination, byte[] payload) {
        public int priority() {
            return payload[2] & 0xff;
        }

        public int vrid() {
            return payload[1] & 0xff;
        }
    }

    private record Delivery(long time, long seq, Port to, ReceivedDatagram datagram) { }

    private final MonotonicClock clock;
    private final long latency;
    private final List<Port> ports = new ArrayList<>();
    private final PriorityQueue<Delivery> queue = new PriorityQueue<>((a, b) ->
            a.time != b.time ? Long.compare(a.time, b.time) : Long.compare(a.seq, b.seq));
    private final List<Sent> sent = new ArrayList<>();
    private long seq;

    public InMemoryNetwork(MonotonicClock clock, long latencyNanos) {
        this.clock = clock;
        this.latency = latencyNanos;
    }

    /**
     * @param interfaceSegments interface name → segment name, e.g. {@code eth0 → out}
     * @param localAddresses    the node's own addresses, for unicast delivery
     */
    public Port attach(String node, Map<String, String> interfaceSegments, Set<InetAddress> localAddresses) {
        Port p = new Port(node, Map.copyOf(interfaceSegments), Set.copyOf(localAddresses));
        ports.add(p);
        return p;
    }

    /** Cut a node off entirely (false): nothing it sends leaves, nothing reaches it. */
    public void setReachable(String node, boolean reachable) {
        for (Port p : ports) {
            if (p.node.equals(node)) {
                p.reachable = reachable;
            }
        }
    }

    /** Take one link of a node down or up. */
    public void setLink(String node, String interfaceName, boolean up) {
        for (Port p : ports) {
            if (p.node.equals(node)) {
                if (up) {
                    p.downLinks.remove(interfaceName);
                } else {
                    p.downLinks.add(interfaceName);
                }
            }
        }
    }

    public long nextDelivery() {
        Delivery d = queue.peek();
        return d == null ? Long.MAX_VALUE : d.time;
    }

    /** Hands every datagram due by now to its receiver; returns how many. */
    public int deliverDue() {
        int n = 0;
        long now = clock.nanoTime();
        while (!queue.isEmpty() && queue.peek().time <= now) {
            Delivery d = queue.poll();
            if (d.to.reachable && !d.to.downLinks.contains(d.datagram.interfaceName()) && d.to.receiver != null) {
                d.to.receiver.accept(d.datagram);
                n++;
            }
        }
        return n;
    }

    /** Everything sent so far, in order. */
    public List<Sent> sent() {
        return List.copyOf(sent);
    }

    public final class Port implements VrrpTransport {
        private final String node;
        private final Map<String, String> segments;
        private final Set<InetAddress> local;
        private final Map<String, Set<InetAddress>> joined = new HashMap<>();
        private final Set<String> downLinks = new HashSet<>();
        private boolean reachable = true;
        private Consumer<ReceivedDatagram> receiver;

        private Port(String node, Map<String, String> segments, Set<InetAddress> local) {
            this.node = node;
            this.segments = segments;
            this.local = local;
        }

        @Override
        public void join(String interfaceName, InetAddress group) {
            joined.computeIfAbsent(interfaceName, k -> new HashSet<>()).add(group);
        }

        @Override
        public void send(String interfaceName, InetAddress source, InetAddress destination, byte[] buf, int off, int len) {
            String segment = segments.get(interfaceName);
            if (segment == null) {
                throw new IllegalStateException(node + ": no interface " + interfaceName);
            }
            byte[] payload = Arrays.copyOfRange(buf, off, off + len);
            long now = clock.nanoTime();
            if (!reachable || downLinks.contains(interfaceName)) {
                return; // the wire swallows it
            }
            sent.add(new Sent(now, node, interfaceName, source, destination, payload));
            for (Port p : ports) {
                if (p == this) {
                    continue; // multicast loopback off, as the raw-socket transport sets IP_MULTICAST_LOOP 0
                }
                for (Map.Entry<String, String> e : p.segments.entrySet()) {
                    if (!e.getValue().equals(segment)) {
                        continue;
                    }
                    String rxIf = e.getKey();
                    boolean wanted = destination.isMulticastAddress()
                            ? p.joined.getOrDefault(rxIf, Set.of()).contains(destination)
                            : p.local.contains(destination);
                    if (wanted) {
                        queue.add(new Delivery(now + latency, seq++, p,
                                new ReceivedDatagram(rxIf, new IpFacts(source, destination, 255), payload.clone(), 0, len)));
                    }
                }
            }
        }

        @Override
        public void receiveWith(Consumer<ReceivedDatagram> r) {
            this.receiver = r;
        }
    }
}
