package org.lvsha.core.dataplane;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.lvsha.core.ipvs.AddressFamily;
import org.lvsha.core.ipvs.Destination;
import org.lvsha.core.ipvs.DestinationStatus;
import org.lvsha.core.ipvs.ForwardingMethod;
import org.lvsha.core.ipvs.ServiceKey;
import org.lvsha.core.ipvs.ServiceStatus;

/**
 * The services and destinations of the data plane, the shared persistence-template table, and the one lock
 * ({@link #lock}) that serialises every scheduling decision and connection-count change, as the kernel's
 * per-service scheduler lock and atomic dest counters do. Packets of existing connections take no lock: they
 * read the destination through its volatile fields.
 *
 * <p>Only IPv4 TCP/UDP services are forwarded; other services (IPv6, SCTP, fwmark) are kept in the table and
 * listed, but have no forwarding entry.
 */
public final class ForwardingTable {
    public static final int MAX_SERVICES = 1024;
    public static final int MAX_DESTINATIONS = 16384;

    final Object lock = new Object();
    final ForwardingDestination[] destinations = new ForwardingDestination[MAX_DESTINATIONS];
    final ForwardingService[] services = new ForwardingService[MAX_SERVICES];
    private final Map<ServiceKey, ForwardingService> byKey = new LinkedHashMap<>();
    private final Map<ServiceKey, Map<List<Object>, ForwardingDestination>> destinationsByService = new HashMap<>();
    volatile ServiceIndex index = ServiceIndex.EMPTY;
    final ConnectionTable templates;
    private int nextServiceId;
    private int nextDestinationId;

    ForwardingTable(int templateCapacity, ConnectionListener templateListener) {
        ConnectionListener accounting = new ConnectionListener() {
            @Override
            public void expired(ConnectionTable t, int id) {
                ForwardingDestination d = destinations[t.destination(id)];
                if (d != null) {
                    d.persistConns--;
                }
            }
        };
        templates = new ConnectionTable(templateCapacity, 100, ConnectionListener.both(accounting, templateListener));
    }

    /** Whether the data plane can forward for this service. */
    static boolean forwardable(ServiceKey key) {
        return !key.isFwmark() && key.family() == AddressFamily.INET
                && (key.protocol() == org.lvsha.core.ipvs.IpProtocol.TCP || key.protocol() == org.lvsha.core.ipvs.IpProtocol.UDP);
    }

    /**
     * Brings the forwarding state in line with the control table: new services and destinations get ids, edits
     * update in place (existing connections keep their destination), deletions make destinations unavailable.
     * Returns the destinations added by this call (their MACs need resolving).
     */
    List<ForwardingDestination> apply(List<ServiceStatus> table) {
        return apply(table, Map.of());
    }

    /**
     * As {@link #apply(List)}, with the next-hop MACs known for real-server addresses: a destination added here
     * gets its MAC before the packet path can see it, so its first packet is not dropped for want of one.
     */
    List<ForwardingDestination> apply(List<ServiceStatus> table, Map<Integer, Long> macs) {
        List<ForwardingDestination> added = new ArrayList<>();
        synchronized (lock) {
            Map<ServiceKey, ServiceStatus> wanted = new LinkedHashMap<>();
            for (ServiceStatus s : table) {
                if (forwardable(s.service().key())) {
                    wanted.put(s.service().key(), s);
                }
            }
            for (var it = byKey.entrySet().iterator(); it.hasNext(); ) {
                var e = it.next();
                if (!wanted.containsKey(e.getKey())) {
                    for (ForwardingDestination d : e.getValue().destinations) {
                        d.available = false;
                    }
                    services[e.getValue().id] = null;
                    destinationsByService.remove(e.getKey());
                    it.remove();
                }
            }
            for (ServiceStatus s : wanted.values()) {
                ForwardingService fs = byKey.get(s.service().key());
                if (fs == null) {
                    if (nextServiceId >= MAX_SERVICES) {
                        throw new IllegalStateException("more than " + MAX_SERVICES + " services created in this data plane");
                    }
                    fs = new ForwardingService(nextServiceId++, s.service());
                    services[fs.id] = fs;
                    byKey.put(fs.key, fs);
                }
                Map<List<Object>, ForwardingDestination> known = destinationsByService.computeIfAbsent(fs.key, k -> new HashMap<>());
                Map<List<Object>, ForwardingDestination> kept = new HashMap<>();
                List<ForwardingDestination> order = new ArrayList<>();
                for (DestinationStatus ds : s.destinations()) {
                    Destination d = ds.destination();
                    List<Object> id = List.of(d.address(), d.port());
                    ForwardingDestination fd = known.get(id);
                    if (fd == null) {
                        if (nextDestinationId >= MAX_DESTINATIONS) {
                            throw new IllegalStateException("more than " + MAX_DESTINATIONS + " destinations created in this data plane");
                        }
                        fd = new ForwardingDestination(nextDestinationId++, fs, d);
                        fd.mac = macs.getOrDefault(fd.address, 0L);
                        destinations[fd.id] = fd;
                        added.add(fd);
                    } else {
                        fd.update(d);
                    }
                    kept.put(id, fd);
                    order.add(fd);
                }
                for (var e : known.entrySet()) {
                    if (!kept.containsKey(e.getKey())) {
                        // Kernel del_dest with expire_nodest_conn = 0: its connections stay until they time out,
                        // their packets are dropped (see PacketWorker).
                        e.getValue().available = false;
                    }
                }
                known.clear();
                known.putAll(kept);
                fs.configure(s.service(), order);
            }
            index = new ServiceIndex(byKey.values());
        }
        return added;
    }

    /** The resolved MAC of every real-server address that an available destination has one for. */
    Map<Integer, Long> knownMacs() {
        Map<Integer, Long> out = new HashMap<>();
        for (ForwardingDestination d : availableDestinations()) {
            long mac = d.mac;
            if (mac != 0) {
                out.put(d.address, mac);
            }
        }
        return out;
    }

    /** Every destination ever created that is still available (for neighbour resolution). */
    List<ForwardingDestination> availableDestinations() {
        List<ForwardingDestination> out = new ArrayList<>();
        synchronized (lock) {
            for (ForwardingService s : byKey.values()) {
                for (ForwardingDestination d : s.destinations) {
                    if (d.available) {
                        out.add(d);
                    }
                }
            }
        }
        return out;
    }

    /** The live counts of a destination: {active, inactive, persist}. */
    int[] counts(ServiceKey key, InetAddress address, int port) {
        synchronized (lock) {
            Map<List<Object>, ForwardingDestination> m = destinationsByService.get(key);
            ForwardingDestination d = m == null ? null : m.get(List.of(address, port));
            return d == null ? null : new int[] {d.activeConns, d.inactiveConns, d.persistConns, d.id};
        }
    }

    /** The service id of a key, or -1. */
    int serviceId(ServiceKey key) {
        synchronized (lock) {
            ForwardingService s = byKey.get(key);
            return s == null ? -1 : s.id;
        }
    }

    /**
     * Picks the destination of a new connection: through the persistence template when the service is
     * persistent (kernel {@code ip_vs_sched_persist}: an existing template whose destination is still available
     * wins, even at weight 0; otherwise the scheduler chooses and a template is made), else the scheduler. The
     * connection is counted on the destination ({@code activeState}). {@code templateOut[0]} receives the template
     * id, or -1. Returns null when no destination can take it.
     */
    ForwardingDestination schedule(ForwardingService s, int caddr, int cport, int vaddr, int vport, long now,
                                   boolean activeState, int[] templateOut) {
        synchronized (lock) {
            templateOut[0] = -1;
            ForwardingDestination d;
            if (s.config.persistent()) {
                int masked = caddr & s.config.netmask();
                int tport = s.port;
                int t = templates.lookupTemplate(s.protocol, masked, vaddr, tport);
                d = null;
                if (t >= 0) {
                    ForwardingDestination td = destinations[templates.destination(t)];
                    if (td != null && td.available) {
                        d = td;
                        templates.touch(t, now, s.config.persistenceTimeout() * 1000);
                    } else {
                        templates.retire(t, now);
                        t = -1;
                    }
                }
                if (d == null) {
                    d = s.select(caddr, cport, vaddr, vport, now);
                    if (d == null) {
                        return null;
                    }
                    t = templates.create(s.protocol, masked, 0, vaddr, tport, d.address, d.port,
                            ConnectionTable.FLAG_TEMPLATE | d.method, s.id, d.id, 0, ConnectionStates.TEMPLATE_NONE,
                            now, s.config.persistenceTimeout() * 1000, 0);
                    if (t >= 0) {
                        d.persistConns++;
                    }
                }
                if (t >= 0) {
                    templates.addControlled(t, 1);
                    templateOut[0] = t;
                }
            } else {
                d = s.select(caddr, cport, vaddr, vport, now);
                if (d == null) {
                    return null;
                }
            }
            d.bind(activeState);
            return d;
        }
    }

    /** A connection went from active to inactive or back (kernel {@code set_tcp_state} counter moves). */
    void activityChanged(ForwardingDestination d, boolean nowActive) {
        synchronized (lock) {
            if (nowActive) {
                d.inactiveConns--;
                d.activeConns++;
            } else {
                d.activeConns--;
                d.inactiveConns++;
            }
        }
    }

    /** A connection expired: uncount it and release its template. */
    void unbound(ForwardingDestination d, boolean active, int template) {
        synchronized (lock) {
            if (d != null) {
                d.unbind(active);
            }
            if (template >= 0 && templates.live(template)) {
                templates.addControlled(template, -1);
            }
        }
    }

    /** Counts a connection inserted from outside (sync) on its destination. */
    void bindInserted(ForwardingDestination d, boolean active) {
        synchronized (lock) {
            d.bind(active);
        }
    }

    /** Template expiry (housekeeping): a template that still controls connections is kept (kernel behaviour). */
    int expireTemplates(long now) {
        synchronized (lock) {
            return templates.expire(now, (t, id) -> {
                if (t.controlledCount(id) > 0) {
                    t.touch(id, now, t.timeoutMillis(id));
                    return true;
                }
                return false;
            });
        }
    }

    ForwardingService find(ServiceKey key) {
        synchronized (lock) {
            return byKey.get(key);
        }
    }

    ForwardingDestination findDestination(ForwardingService s, int address, int port) {
        synchronized (lock) {
            for (ForwardingDestination d : s.destinations) {
                if (d.address == address && d.port == port) {
                    return d;
                }
            }
            return null;
        }
    }

    static ForwardingMethod method(int flags) {
        return ForwardingMethod.ofCode(flags & ConnectionTable.FLAG_FWD_MASK);
    }
}
