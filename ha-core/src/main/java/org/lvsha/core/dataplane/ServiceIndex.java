package org.lvsha.core.dataplane;

import java.util.Collection;

/**
 * Immutable open-addressing map from (protocol, VIP, port) to a {@link ForwardingService}, rebuilt by the control
 * thread on every table change and published to the workers through a volatile field. Lookups do not allocate.
 */
final class ServiceIndex {
    static final ServiceIndex EMPTY = new ServiceIndex(java.util.List.of());

    private final long[] keys;
    private final ForwardingService[] values;
    private final int mask;
    private final boolean anyPortZero;

    ServiceIndex(Collection<ForwardingService> services) {
        int size = Integer.highestOneBit(Math.max(4, services.size() * 4) - 1) << 1;
        keys = new long[size];
        values = new ForwardingService[size];
        mask = size - 1;
        boolean zero = false;
        for (ForwardingService s : services) {
            long k = key(s.protocol, s.address, s.port);
            int i = slot(k);
            while (values[i] != null) {
                i = (i + 1) & mask;
            }
            keys[i] = k;
            values[i] = s;
            zero |= s.port == 0;
        }
        anyPortZero = zero;
    }

    private static long key(int protocol, int address, int port) {
        return ((long) protocol << 48) | ((long) port << 32) | (address & 0xffffffffL);
    }

    private int slot(long k) {
        long h = k * 0x9E3779B97F4A7C15L;
        return (int) (h >>> 40) & mask;
    }

    /** The service for a packet to address:port, falling back to a port-0 (all ports) service on the address. */
    ForwardingService find(int protocol, int address, int port) {
        ForwardingService s = exact(key(protocol, address, port));
        if (s == null && anyPortZero) {
            s = exact(key(protocol, address, 0));
        }
        return s;
    }

    private ForwardingService exact(long k) {
        for (int i = slot(k), n = 0; n <= mask; i = (i + 1) & mask, n++) {
            ForwardingService s = values[i];
            if (s == null) {
                return null;
            }
            if (keys[i] == k) {
                return s;
            }
        }
        return null;
    }
}
