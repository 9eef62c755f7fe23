package org.lvsha.core.dataplane;

import org.lvsha.core.ipvs.Destination;

/**
 * A real server as the packet path sees it, identified by a stable {@link #id} that connections keep: editing
 * its weight never moves an existing connection, and a deleted destination stays addressable (not available)
 * for the connections that still name it, as the kernel keeps a deleted dest in its trash list.
 *
 * <p>Fields read per packet are volatile; the connection counts are guarded by {@link ForwardingTable#lock}.
 */
public final class ForwardingDestination {
    final int id;
    final ForwardingService service;
    final int address;
    final int port;
    final byte[] addressBytes;

    volatile Destination config;
    volatile int method;
    /** Next-hop MAC (the real server's), 0 until resolved. */
    volatile long mac;
    /** False once deleted from its service (or the service deleted). */
    volatile boolean available = true;

    // Guarded by ForwardingTable.lock.
    int weight;
    int lastWeight;
    int activeConns;
    int inactiveConns;
    int persistConns;
    boolean overloaded;

    ForwardingDestination(int id, ForwardingService service, Destination config) {
        this.id = id;
        this.service = service;
        this.addressBytes = config.address().getAddress();
        this.address = java.nio.ByteBuffer.wrap(addressBytes).getInt();
        this.port = config.port();
        update(config);
    }

    void update(Destination d) {
        config = d;
        method = d.method().code();
        weight = d.weight();
        if (d.weight() > 0) {
            lastWeight = d.weight();
        }
        if (d.upperThreshold() == 0) {
            overloaded = false;
        }
    }

    /** Kernel {@code ip_vs_bind_dest}: counts the connection and sets OVERLOAD at the upper threshold. */
    void bind(boolean active) {
        if (active) {
            activeConns++;
        } else {
            inactiveConns++;
        }
        int upper = config.upperThreshold();
        if (upper != 0 && activeConns + inactiveConns >= upper) {
            overloaded = true;
        }
    }

    /** Kernel {@code ip_vs_unbind_dest}: clears OVERLOAD under the lower threshold (or 3/4 of the upper one). */
    void unbind(boolean active) {
        if (active) {
            activeConns--;
        } else {
            inactiveConns--;
        }
        int total = activeConns + inactiveConns;
        int upper = config.upperThreshold();
        int lower = config.lowerThreshold();
        if (lower != 0) {
            if (total < lower) {
                overloaded = false;
            }
        } else if (upper != 0) {
            if ((long) total * 4 < (long) upper * 3) {
                overloaded = false;
            }
        } else {
            overloaded = false;
        }
    }

    public int id() {
        return id;
    }

    public boolean available() {
        return available;
    }

    public long mac() {
        return mac;
    }
}
