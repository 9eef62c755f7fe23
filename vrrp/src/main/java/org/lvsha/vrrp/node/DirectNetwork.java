package org.lvsha.vrrp.node;

import java.net.InetAddress;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.lvsha.vrrp.codec.IpFacts;

/**
 * A thread-safe network for nodes running their own threads on the real clock: a send is handed at
 * once to the receivers on the same segment (which only enqueue). For tests of the threaded node and,
 * later, the daemon without root. {@link InMemoryNetwork} is the deterministic, virtual-clock one.
 */
public final class DirectNetwork {
    private final CopyOnWriteArrayList<Port> ports = new CopyOnWriteArrayList<>();

    /** One node's attachment; {@code interfaceSegments} maps its interfaces to segment names. */
    public Port attach(String node, Map<String, String> interfaceSegments, Set<InetAddress> localAddresses) {
        Port p = new Port(node, Map.copyOf(interfaceSegments), Set.copyOf(localAddresses));
        ports.add(p);
        return p;
    }

    public final class Port implements VrrpTransport {
        private final String node;
        private final Map<String, String> segments;
        private final Set<InetAddress> local;
        private final Set<String> joined = ConcurrentHashMap.newKeySet();
        private volatile boolean reachable = true;
        private volatile Consumer<ReceivedDatagram> receiver;
        private volatile long lastSentNanos;

        private Port(String node, Map<String, String> segments, Set<InetAddress> local) {
            this.node = node;
            this.segments = segments;
            this.local = local;
        }

        /** Cut off (false): nothing sent leaves, nothing reaches this node. */
        public void setReachable(boolean r) {
            reachable = r;
        }

        /** {@link System#nanoTime()} of the last datagram that left this port. */
        public long lastSentNanos() {
            return lastSentNanos;
        }

        @Override
        public void join(String interfaceName, InetAddress group) {
            joined.add(interfaceName + "|" + group.getHostAddress());
        }

        @Override
        public void send(String interfaceName, InetAddress source, InetAddress destination, byte[] buf, int off, int len) {
            if (!reachable) {
                return;
            }
            String segment = segments.get(interfaceName);
            lastSentNanos = System.nanoTime();
            for (Port p : ports) {
                if (p == this || !p.reachable || p.receiver == null) {
                    continue;
                }
                for (Map.Entry<String, String> e : p.segments.entrySet()) {
                    boolean wanted = e.getValue().equals(segment) && (destination.isMulticastAddress()
                            ? p.joined.contains(e.getKey() + "|" + destination.getHostAddress()) : p.local.contains(destination));
                    if (wanted) {
                        p.receiver.accept(new ReceivedDatagram(e.getKey(), new IpFacts(source, destination, 255),
                                Arrays.copyOfRange(buf, off, off + len), 0, len));
                    }
                }
            }
        }

        @Override
        public void receiveWith(Consumer<ReceivedDatagram> r) {
            receiver = r;
        }

        @Override
        public String toString() {
            return "DirectNetwork.Port[" + node + "]";
        }
    }
}
