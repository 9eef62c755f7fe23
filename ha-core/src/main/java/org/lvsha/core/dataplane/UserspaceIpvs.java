package org.lvsha.core.dataplane;

import java.net.InetAddress;
import java.util.List;
import java.util.Optional;

import org.lvsha.core.ipvs.ConnectionEntry;
import org.lvsha.core.ipvs.Destination;
import org.lvsha.core.ipvs.InMemoryIpvs;
import org.lvsha.core.ipvs.Ipvs;
import org.lvsha.core.ipvs.IpvsInfo;
import org.lvsha.core.ipvs.ServiceKey;
import org.lvsha.core.ipvs.ServiceStatus;
import org.lvsha.core.ipvs.SyncDaemon;
import org.lvsha.core.ipvs.SyncState;
import org.lvsha.core.ipvs.Timeouts;
import org.lvsha.core.ipvs.VirtualService;

/**
 * The {@link Ipvs} port over the embedded {@link DataPlane}: {@link InMemoryIpvs} decides what the kernel would
 * accept or refuse (same errnos), and every accepted change is applied to the data plane before the call returns.
 * Listings carry the data plane's live counters, connection counts and rates; {@link #connections()} is its
 * connection table. Sync daemons are recorded only (the kernel's sync daemon has no userspace counterpart here;
 * lvsha's own connection sync uses {@link DataPlane#setConnectionListener} and {@link DataPlane#insert}).
 */
public final class UserspaceIpvs implements Ipvs {
    private final InMemoryIpvs table;
    private final DataPlane plane;

    public UserspaceIpvs(DataPlane plane) {
        this(new InMemoryIpvs(), plane);
    }

    public UserspaceIpvs(InMemoryIpvs table, DataPlane plane) {
        this.table = table;
        this.plane = plane;
        sync();
    }

    public DataPlane dataPlane() {
        return plane;
    }

    private synchronized void sync() {
        plane.apply(table.services(), table.timeouts());
    }

    @Override
    public synchronized void addService(VirtualService service) {
        table.addService(service);
        sync();
    }

    @Override
    public synchronized void editService(VirtualService service) {
        table.editService(service);
        sync();
    }

    @Override
    public synchronized void deleteService(ServiceKey key) {
        table.deleteService(key);
        sync();
    }

    @Override
    public synchronized void addDestination(ServiceKey service, Destination destination) {
        table.addDestination(service, destination);
        sync();
    }

    @Override
    public synchronized void editDestination(ServiceKey service, Destination destination) {
        table.editDestination(service, destination);
        sync();
    }

    @Override
    public synchronized void deleteDestination(ServiceKey service, InetAddress address, int port) {
        table.deleteDestination(service, address, port);
        sync();
    }

    @Override
    public List<ServiceStatus> services() {
        return plane.withLiveCounters(table.services());
    }

    @Override
    public Optional<ServiceStatus> service(ServiceKey key) {
        return table.service(key).map(s -> plane.withLiveCounters(List.of(s)).get(0));
    }

    @Override
    public synchronized void zero() {
        plane.zero(table.services());
        table.zero();
    }

    @Override
    public synchronized void zero(ServiceKey key) {
        table.zero(key);
        plane.zero(List.of(table.service(key).orElseThrow()));
    }

    @Override
    public synchronized void flush() {
        table.flush();
        sync();
    }

    @Override
    public Timeouts timeouts() {
        return table.timeouts();
    }

    @Override
    public synchronized void setTimeouts(Timeouts timeouts) {
        table.setTimeouts(timeouts);
        sync();
    }

    @Override
    public void startDaemon(SyncDaemon daemon) {
        table.startDaemon(daemon);
    }

    @Override
    public void stopDaemon(SyncState state) {
        table.stopDaemon(state);
    }

    @Override
    public List<SyncDaemon> daemons() {
        return table.daemons();
    }

    @Override
    public List<ConnectionEntry> connections() {
        return plane.connections();
    }

    @Override
    public IpvsInfo info() {
        return table.info();
    }
}
