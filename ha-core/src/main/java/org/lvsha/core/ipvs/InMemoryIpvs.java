package org.lvsha.core.ipvs;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.lvsha.core.ipvs.sched.Schedulers;

/**
 * An IPVS table held in memory that accepts and refuses exactly what the kernel does, with the kernel's errno
 * (ip_vs_ctl.c {@code ip_vs_genl_set_cmd}, {@code ip_vs_add_service}, {@code ip_vs_add_dest}, ...; §2.2-§2.5).
 * It is the control-plane base of the userspace data plane and the backend that makes the CLI testable.
 *
 * <p>Thread-safe: every method is synchronized; listings are immutable snapshots.
 */
public final class InMemoryIpvs implements Ipvs {

    /** Timeouts are stored in jiffies by the kernel and must be at most INT_MAX/HZ seconds (§2.3); HZ=1000 is the strictest common value. */
    static final int MAX_TIMEOUT_SECONDS = Integer.MAX_VALUE / 1000;

    private final Map<ServiceKey, ServiceEntry> services = new LinkedHashMap<>();
    private final Map<SyncState, SyncDaemon> daemons = new EnumMap<>(SyncState.class);
    private final List<ConnectionEntry> connections = new ArrayList<>();
    private final IpvsInfo info;
    private Timeouts timeouts = Timeouts.DEFAULTS;
    private long generation;

    private static final class ServiceEntry {
        VirtualService service;
        Stats stats = Stats.ZERO;
        Rates rates = Rates.ZERO;
        final Map<DestinationId, DestinationStatus> destinations = new LinkedHashMap<>();

        ServiceEntry(VirtualService service) {
            this.service = service;
        }
    }

    private record DestinationId(InetAddress address, int port) {
    }

    public InMemoryIpvs() {
        this(IpvsInfo.KERNEL_DEFAULT);
    }

    public InMemoryIpvs(IpvsInfo info) {
        this.info = info;
    }

    @Override
    public synchronized void addService(VirtualService service) {
        validateService(service, IpvsOperation.ADD_SERVICE);
        if (services.containsKey(service.key())) {
            throw new IpvsException(Errno.EEXIST, IpvsOperation.ADD_SERVICE, service.key().describe());
        }
        services.put(service.key(), new ServiceEntry(service));
        generation++;
    }

    @Override
    public synchronized void editService(VirtualService service) {
        ServiceEntry entry = services.get(service.key());
        if (entry == null) {
            throw new IpvsException(Errno.ESRCH, IpvsOperation.EDIT_SERVICE, service.key().describe());
        }
        validateService(service, IpvsOperation.EDIT_SERVICE);
        entry.service = service;
        generation++;
    }

    private static void validateService(VirtualService service, IpvsOperation op) {
        String object = service.key().describe();
        // ip_vs_add_service/ip_vs_edit_service: "none" means no scheduler, else the module must exist.
        if (!"none".equals(service.scheduler()) && !Schedulers.isKnown(service.scheduler())) {
            throw new IpvsException(Errno.ENOENT, op, object + " scheduler " + service.scheduler());
        }
        // The only persistence engine the kernel ships is "sip".
        if (!service.persistenceEngine().isEmpty() && !"sip".equals(service.persistenceEngine())) {
            throw new IpvsException(Errno.ENOENT, op, object + " pe " + service.persistenceEngine());
        }
        if (service.key().family() == AddressFamily.INET6 && (service.netmask() < 1 || service.netmask() > 128)) {
            throw new IpvsException(Errno.EINVAL, op, object + " netmask " + service.netmask());
        }
        if (service.persistenceTimeout() > MAX_TIMEOUT_SECONDS) {
            throw new IpvsException(Errno.EINVAL, op, object + " timeout " + service.persistenceTimeout());
        }
    }

    @Override
    public synchronized void deleteService(ServiceKey key) {
        if (services.remove(key) == null) {
            throw new IpvsException(Errno.ESRCH, IpvsOperation.DELETE_SERVICE, key.describe());
        }
        generation++;
    }

    @Override
    public synchronized void addDestination(ServiceKey key, Destination destination) {
        ServiceEntry entry = serviceFor(key, destination, IpvsOperation.ADD_DESTINATION);
        validateDestination(entry, destination, IpvsOperation.ADD_DESTINATION);
        DestinationId id = new DestinationId(destination.address(), destination.port());
        if (entry.destinations.containsKey(id)) {
            throw new IpvsException(Errno.EEXIST, IpvsOperation.ADD_DESTINATION, describe(key, destination));
        }
        entry.destinations.put(id, DestinationStatus.idle(destination));
        generation++;
    }

    @Override
    public synchronized void editDestination(ServiceKey key, Destination destination) {
        ServiceEntry entry = serviceFor(key, destination, IpvsOperation.EDIT_DESTINATION);
        validateDestination(entry, destination, IpvsOperation.EDIT_DESTINATION);
        DestinationId id = new DestinationId(destination.address(), destination.port());
        DestinationStatus old = entry.destinations.get(id);
        if (old == null) {
            throw new IpvsException(Errno.ENOENT, IpvsOperation.EDIT_DESTINATION, describe(key, destination));
        }
        entry.destinations.put(id, new DestinationStatus(destination, old.activeConns(), old.inactiveConns(),
                old.persistConns(), old.stats(), old.rates()));
        generation++;
    }

    @Override
    public synchronized void deleteDestination(ServiceKey key, InetAddress address, int port) {
        ServiceEntry entry = services.get(key);
        String object = key.describe() + " -> " + AddressText.withPort(address, port);
        if (entry == null) {
            throw new IpvsException(Errno.ESRCH, IpvsOperation.DELETE_DESTINATION, object);
        }
        if (entry.destinations.remove(new DestinationId(address, port)) == null) {
            throw new IpvsException(Errno.ENOENT, IpvsOperation.DELETE_DESTINATION, object);
        }
        generation++;
    }

    private ServiceEntry serviceFor(ServiceKey key, Destination destination, IpvsOperation op) {
        ServiceEntry entry = services.get(key);
        if (entry == null) {
            throw new IpvsException(Errno.ESRCH, op, describe(key, destination));
        }
        return entry;
    }

    private void validateDestination(ServiceEntry entry, Destination d, IpvsOperation op) {
        String object = describe(entry.service.key(), d);
        // ip_vs_genl_set_cmd: another family than the service's is only forwardable by tunnel, and the sync
        // protocol cannot carry mixed families, so not while a daemon runs.
        if (d.family() != entry.service.key().family()
                && (d.method() != ForwardingMethod.TUNNEL || !daemons.isEmpty())) {
            throw new IpvsException(Errno.EINVAL, op, object);
        }
        // ip_vs_add_dest / ip_vs_edit_dest
        if (d.weight() < 0) {
            throw new IpvsException(Errno.ERANGE, op, object + " weight " + d.weight());
        }
        if (d.lowerThreshold() > d.upperThreshold()) {
            throw new IpvsException(Errno.ERANGE, op, object + " thresholds " + d.upperThreshold() + "/" + d.lowerThreshold());
        }
        if (d.method() == ForwardingMethod.TUNNEL && d.tunnel().type() == TunnelType.GUE && d.tunnel().port() == 0) {
            throw new IpvsException(Errno.EINVAL, op, object + " GUE tunnel without port");
        }
        if (d.address().isAnyLocalAddress() || d.address().isMulticastAddress()) {
            throw new IpvsException(Errno.EINVAL, op, object);
        }
    }

    private static String describe(ServiceKey key, Destination d) {
        return key.describe() + " -> " + d.describe();
    }

    @Override
    public synchronized List<ServiceStatus> services() {
        List<ServiceStatus> out = new ArrayList<>(services.size());
        for (ServiceEntry e : services.values()) {
            out.add(snapshot(e));
        }
        return List.copyOf(out);
    }

    @Override
    public synchronized Optional<ServiceStatus> service(ServiceKey key) {
        ServiceEntry e = services.get(key);
        return e == null ? Optional.empty() : Optional.of(snapshot(e));
    }

    private static ServiceStatus snapshot(ServiceEntry e) {
        return new ServiceStatus(e.service, e.stats, e.rates, new ArrayList<>(e.destinations.values()));
    }

    @Override
    public synchronized void zero() {
        for (ServiceEntry e : services.values()) {
            zero(e);
        }
    }

    @Override
    public synchronized void zero(ServiceKey key) {
        ServiceEntry e = services.get(key);
        if (e == null) {
            throw new IpvsException(Errno.ESRCH, IpvsOperation.ZERO, key.describe());
        }
        zero(e);
    }

    /** ip_vs_zero_stats: counters and rate estimators go to zero; connection counts are live state and stay. */
    private static void zero(ServiceEntry e) {
        e.stats = Stats.ZERO;
        e.rates = Rates.ZERO;
        e.destinations.replaceAll((id, d) -> new DestinationStatus(d.destination(), d.activeConns(),
                d.inactiveConns(), d.persistConns(), Stats.ZERO, Rates.ZERO));
    }

    @Override
    public synchronized void flush() {
        services.clear();
        generation++;
    }

    @Override
    public synchronized Timeouts timeouts() {
        return timeouts;
    }

    @Override
    public synchronized void setTimeouts(Timeouts request) {
        if (request.tcp() > MAX_TIMEOUT_SECONDS || request.tcpFin() > MAX_TIMEOUT_SECONDS || request.udp() > MAX_TIMEOUT_SECONDS) {
            throw new IpvsException(Errno.EINVAL, IpvsOperation.SET_TIMEOUTS, request.toString());
        }
        timeouts = timeouts.overriddenBy(request);
    }

    @Override
    public synchronized void startDaemon(SyncDaemon daemon) {
        String object = daemon.state().ipvsadmName() + " sync daemon on " + daemon.interfaceName();
        if (daemons.containsKey(daemon.state())) {
            throw new IpvsException(Errno.EEXIST, IpvsOperation.START_DAEMON, object);
        }
        if (daemon.interfaceName().isEmpty()) {
            throw new IpvsException(Errno.EINVAL, IpvsOperation.START_DAEMON, object);
        }
        if (daemon.group() != null && !daemon.group().isMulticastAddress()) {
            throw new IpvsException(Errno.EINVAL, IpvsOperation.START_DAEMON, object + " group " + AddressText.of(daemon.group()));
        }
        // §1.1: the daemon refuses to start while any service has destinations of another family.
        for (ServiceEntry e : services.values()) {
            for (DestinationStatus d : e.destinations.values()) {
                if (d.destination().family() != e.service.key().family()) {
                    throw new IpvsException(Errno.EINVAL, IpvsOperation.START_DAEMON, object + ": mixed-family " + e.service.key().describe());
                }
            }
        }
        daemons.put(daemon.state(), withKernelDefaults(daemon));
    }

    /**
     * What the kernel reports back for a daemon started without the optional parts (§1.1): group 224.0.0.81,
     * port 8848, TTL 1, and maxlen 1500 − IP/UDP headers (the master's MTU is forced to 1500; for the backup
     * the interface MTU is unknown here and 1500 is assumed).
     */
    private static SyncDaemon withKernelDefaults(SyncDaemon d) {
        InetAddress group = d.group() != null ? d.group() : AddressText.parse("224.0.0.81");
        int headers = group instanceof java.net.Inet6Address ? 48 : 28;
        return new SyncDaemon(d.state(), d.interfaceName(), d.syncId(), d.maxLen() != 0 ? d.maxLen() : 1500 - headers,
                group, d.port() != 0 ? d.port() : 8848, d.ttl() != 0 ? d.ttl() : 1);
    }

    @Override
    public synchronized void stopDaemon(SyncState state) {
        if (daemons.remove(state) == null) {
            throw new IpvsException(Errno.ESRCH, IpvsOperation.STOP_DAEMON, state.ipvsadmName() + " sync daemon");
        }
    }

    @Override
    public synchronized List<SyncDaemon> daemons() {
        return List.copyOf(daemons.values());
    }

    @Override
    public synchronized List<ConnectionEntry> connections() {
        return List.copyOf(connections);
    }

    @Override
    public IpvsInfo info() {
        return info;
    }

    // ---- hooks for the data plane that will run on this table (and for tests) ----

    /**
     * Incremented by every change to services or destinations (not by counters, timeouts or daemons): the data
     * plane compares it to rebuild its forwarding tables and call {@code Scheduler.destinationsChanged}.
     */
    public synchronized long generation() {
        return generation;
    }

    /** Replaces the connection table view. */
    public synchronized void replaceConnections(List<ConnectionEntry> entries) {
        connections.clear();
        connections.addAll(entries);
    }

    /** Records a destination's live counters. ENOENT/ESRCH as for an edit. */
    public synchronized void updateCounters(ServiceKey key, InetAddress address, int port,
                                            int active, int inactive, int persist, Stats stats, Rates rates) {
        ServiceEntry e = services.get(key);
        String object = key.describe() + " -> " + AddressText.withPort(address, port);
        if (e == null) {
            throw new IpvsException(Errno.ESRCH, IpvsOperation.EDIT_DESTINATION, object);
        }
        DestinationId id = new DestinationId(address, port);
        DestinationStatus d = e.destinations.get(id);
        if (d == null) {
            throw new IpvsException(Errno.ENOENT, IpvsOperation.EDIT_DESTINATION, object);
        }
        e.destinations.put(id, new DestinationStatus(d.destination(), active, inactive, persist, stats, rates));
    }

    /** Records a service's counters and rates. */
    public synchronized void updateCounters(ServiceKey key, Stats stats, Rates rates) {
        ServiceEntry e = services.get(key);
        if (e == null) {
            throw new IpvsException(Errno.ESRCH, IpvsOperation.EDIT_SERVICE, key.describe());
        }
        e.stats = stats;
        e.rates = rates;
    }
}
