package org.lvsha.vrrp.address;

import java.util.List;
import org.lvsha.core.net.AddressManager;
import org.lvsha.core.net.VirtualAddress;
import org.lvsha.vrrp.VrrpCounters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out an instance's address actions through the {@link AddressManager} port. A failure is
 * logged with the port's message (operation, address, device, errno) and counted; it never escapes
 * into the protocol loop, and the other addresses are still handled.
 */
public final class AddressExecutor {
    private static final Logger LOG = LoggerFactory.getLogger(AddressExecutor.class);
    private final String instance;
    private final List<VirtualAddress> addresses;
    private final AddressManager port;
    private final VrrpCounters counters;

    public AddressExecutor(String instance, List<VirtualAddress> addresses, AddressManager port, VrrpCounters counters) {
        this.instance = instance;
        this.addresses = List.copyOf(addresses);
        this.port = port;
        this.counters = counters;
    }

    public void addAll() {
        for (VirtualAddress a : addresses) {
            try {
                port.add(a);
            } catch (RuntimeException e) {
                fail("add", a, e);
            }
        }
    }

    /** Removes those that are present: on leaving MASTER, and on start to clear copies a crashed run left behind. */
    public void removePresent() {
        for (VirtualAddress a : addresses) {
            try {
                if (port.isPresent(a)) {
                    port.remove(a);
                }
            } catch (RuntimeException e) {
                fail("remove", a, e);
            }
        }
    }

    public void announce(int times) {
        for (int i = 0; i < times; i++) {
            for (VirtualAddress a : addresses) {
                try {
                    port.announce(a);
                    counters.announced(1);
                } catch (RuntimeException e) {
                    fail("announce", a, e);
                }
            }
        }
    }

    private void fail(String op, VirtualAddress a, RuntimeException e) {
        counters.addressError();
        LOG.error("instance {}: cannot {} {}: {}", instance, op, a, e.getMessage());
    }
}
