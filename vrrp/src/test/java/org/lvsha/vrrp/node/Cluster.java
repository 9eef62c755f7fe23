package org.lvsha.vrrp.node;

import java.net.InetAddress;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.lvsha.core.net.VirtualAddress;
import org.lvsha.vrrp.VirtualClock;
import org.lvsha.vrrp.VrrpCounters;
import org.lvsha.vrrp.config.InstanceConfig;
import org.lvsha.vrrp.config.NodeConfig;
import org.lvsha.vrrp.notify.MemorySubscriber;
import org.lvsha.vrrp.notify.TransitionEvent;
import org.lvsha.vrrp.proto.State;

/** Several VrrpNodes on an InMemoryNetwork and one VirtualClock, stepped deterministically: no threads, no sleeps. */
final class Cluster {
    static final long MS = 1_000_000L;
    static final long S = 1_000_000_000L;

    final VirtualClock clock = new VirtualClock(1_000 * S);
    final InMemoryNetwork net = new InMemoryNetwork(clock, 0);
    final Map<String, VrrpNode> nodes = new LinkedHashMap<>();
    final Map<String, FakeAddressManager> addresses = new LinkedHashMap<>();
    final Map<String, MemorySubscriber> events = new LinkedHashMap<>();
    final Map<String, NodeConfig> configs = new LinkedHashMap<>();
    final Map<String, InMemoryNetwork.Port> ports = new LinkedHashMap<>();

    static InetAddress ip(String s) {
        return VrrpTransport.InetAddresses.of(s);
    }

    static VirtualAddress vip(String ifname, String ip, String label) {
        return new VirtualAddress(ifname, ip(ip), ip.contains(":") ? 64 : 24, label);
    }

    /** Creates a node but does not start it. Segments: eth0 → out, eth1 → in. */
    VrrpNode add(String name, NodeConfig config) {
        Set<InetAddress> local = new HashSet<>();
        for (InstanceConfig i : config.instances()) {
            local.add(i.primaryAddress());
        }
        InMemoryNetwork.Port port = net.attach(name, Map.of("eth0", "out", "eth1", "in"), local);
        FakeAddressManager am = new FakeAddressManager(clock);
        MemorySubscriber sub = new MemorySubscriber();
        VrrpNode node = new VrrpNode(config, port, am, clock, sub, new VrrpCounters());
        nodes.put(name, node);
        addresses.put(name, am);
        events.put(name, sub);
        configs.put(name, config);
        ports.put(name, port);
        return node;
    }

    void start(String name) {
        nodes.get(name).startInstances();
    }

    /** Advances the virtual clock to {@code t}, delivering datagrams and firing deadlines in time order. */
    void runUntil(long t) {
        int sameInstant = 0;
        long last = clock.nanoTime();
        while (true) {
            long next = net.nextDelivery();
            for (VrrpNode n : nodes.values()) {
                if (!n.stopped()) {
                    next = Math.min(next, n.nextDeadline());
                }
            }
            if (next > t) {
                break;
            }
            if (next > clock.nanoTime()) {
                clock.set(next);
            }
            if (clock.nanoTime() == last) {
                if (++sameInstant > 10_000) {
                    throw new IllegalStateException("no progress at " + last);
                }
            } else {
                sameInstant = 0;
                last = clock.nanoTime();
            }
            net.deliverDue();
            for (VrrpNode n : nodes.values()) {
                if (!n.stopped()) {
                    n.poll();
                }
            }
        }
        clock.set(Math.max(t, clock.nanoTime()));
    }

    void runFor(long d) {
        runUntil(clock.nanoTime() + d);
    }

    long now() {
        return clock.nanoTime();
    }

    State state(String node, String instance) {
        return nodes.get(node).status(instance).state();
    }

    /** When {@code node}'s instance last entered {@code state}. */
    long enteredAt(String node, String instance, State state) {
        List<TransitionEvent> es = events.get(node).events();
        for (int k = es.size() - 1; k >= 0; k--) {
            TransitionEvent e = es.get(k);
            if (e.type().equals("INSTANCE") && e.name().equals(instance) && e.to() == state) {
                return e.monotonicNanos();
            }
        }
        throw new AssertionError(node + "/" + instance + " never entered " + state);
    }

    /** Time of the last advert {@code from} sent for a VRID that was delivered, i.e. sent while reachable. */
    long lastAdvertFrom(String node, int vrid) {
        long t = Long.MIN_VALUE;
        for (InMemoryNetwork.Sent s : net.sent()) {
            if (s.node().equals(node) && s.vrid() == vrid) {
                t = s.time();
            }
        }
        return t;
    }
}
