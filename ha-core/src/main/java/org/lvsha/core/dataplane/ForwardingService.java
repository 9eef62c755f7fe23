package org.lvsha.core.dataplane;

import java.util.ArrayList;
import java.util.List;

import org.lvsha.core.ipvs.ServiceKey;
import org.lvsha.core.ipvs.VirtualService;
import org.lvsha.core.ipvs.sched.DestinationTable;
import org.lvsha.core.ipvs.sched.FlowKey;
import org.lvsha.core.ipvs.sched.Scheduler;
import org.lvsha.core.ipvs.sched.Schedulers;

/**
 * A virtual service on the packet path: its scheduler and the list of destinations the scheduler sees (a
 * {@link DestinationTable} view over {@link ForwardingDestination}s, in the table's order). Everything but the
 * immutable key is guarded by {@link ForwardingTable#lock}.
 */
public final class ForwardingService implements DestinationTable {
    final int id;
    final ServiceKey key;
    final int protocol;
    final int address;
    final int port;

    VirtualService config;
    Scheduler scheduler;
    ForwardingDestination[] destinations = new ForwardingDestination[0];
    final FlowKey flow = new FlowKey();
    final byte[] sourceScratch = new byte[4];
    final byte[] destinationScratch = new byte[4];

    ForwardingService(int id, VirtualService config) {
        this.id = id;
        this.key = config.key();
        this.protocol = key.protocol().number();
        this.address = java.nio.ByteBuffer.wrap(key.address().getAddress()).getInt();
        this.port = key.port();
        this.config = config;
    }

    /** Replaces the configuration; the scheduler is rebuilt when its name or flags change. */
    void configure(VirtualService c, List<ForwardingDestination> list) {
        if (scheduler == null || !c.scheduler().equals(config.scheduler()) || c.schedulerFlags() != config.schedulerFlags()) {
            scheduler = "none".equals(c.scheduler()) ? null : Schedulers.create(c.scheduler(), c.flags());
        }
        config = c;
        destinations = list.toArray(new ForwardingDestination[0]);
        if (scheduler != null) {
            // Kernel upd_dest/add_dest/del_dest: schedulers rebuild their tables and reset their state.
            scheduler.destinationsChanged(this);
        }
    }

    /** Runs the scheduler for a new connection; the caller holds the lock. Returns null for no destination. */
    ForwardingDestination select(int clientAddress, int clientPort, int vaddr, int vport, long nowMillis) {
        if (scheduler == null || destinations.length == 0) {
            return null;
        }
        putInt(sourceScratch, clientAddress);
        putInt(destinationScratch, vaddr);
        flow.set(sourceScratch, clientPort, destinationScratch, vport, 4, nowMillis);
        int i = scheduler.select(this, flow);
        return i < 0 ? null : destinations[i];
    }

    private static void putInt(byte[] b, int v) {
        b[0] = (byte) (v >>> 24);
        b[1] = (byte) (v >>> 16);
        b[2] = (byte) (v >>> 8);
        b[3] = (byte) v;
    }

    List<ForwardingDestination> destinationList() {
        return new ArrayList<>(List.of(destinations));
    }

    @Override
    public int size() {
        return destinations.length;
    }

    @Override
    public int weight(int index) {
        return destinations[index].weight;
    }

    @Override
    public int lastWeight(int index) {
        return destinations[index].lastWeight;
    }

    @Override
    public int activeConns(int index) {
        return destinations[index].activeConns;
    }

    @Override
    public int inactiveConns(int index) {
        return destinations[index].inactiveConns;
    }

    @Override
    public boolean overloaded(int index) {
        return destinations[index].overloaded;
    }

    @Override
    public byte[] address(int index) {
        return destinations[index].addressBytes;
    }

    @Override
    public int port(int index) {
        return destinations[index].port;
    }

    public int id() {
        return id;
    }

    public ServiceKey key() {
        return key;
    }
}
