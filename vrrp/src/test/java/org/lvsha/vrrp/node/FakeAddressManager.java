package org.lvsha.vrrp.node;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.lvsha.core.net.AddressManager;
import org.lvsha.core.net.VirtualAddress;
import org.lvsha.vrrp.MonotonicClock;

/** Records what a node did to its addresses, with times. */
final class FakeAddressManager implements AddressManager {
    record Op(long time, String op, VirtualAddress address) { }

    private final MonotonicClock clock;
    final Set<VirtualAddress> present = new HashSet<>();
    final List<Op> ops = new ArrayList<>();
    int announcements;

    FakeAddressManager(MonotonicClock clock) {
        this.clock = clock;
    }

    @Override
    public void add(VirtualAddress a) {
        present.add(a);
        ops.add(new Op(clock.nanoTime(), "add", a));
    }

    @Override
    public void remove(VirtualAddress a) {
        present.remove(a);
        ops.add(new Op(clock.nanoTime(), "remove", a));
    }

    @Override
    public boolean isPresent(VirtualAddress a) {
        return present.contains(a);
    }

    @Override
    public void announce(VirtualAddress a) {
        announcements++;
        ops.add(new Op(clock.nanoTime(), "announce", a));
    }

    boolean has(String ip) {
        return present.stream().anyMatch(v -> v.address().getHostAddress().equals(ip));
    }

    long lastTime(String op, String ip) {
        long t = Long.MIN_VALUE;
        for (Op o : ops) {
            if (o.op.equals(op) && o.address.address().getHostAddress().equals(ip)) {
                t = o.time;
            }
        }
        return t;
    }
}
