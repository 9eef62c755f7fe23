package org.lvsha.core.net;

/**
 * The port through which mastership becomes visible on the network: secondary addresses added to and
 * removed from interfaces, and announced so neighbours repoint their caches at this node.
 *
 * <p>Implementations are idempotent (adding an address that is present, or removing one that is
 * absent, succeeds) so a node that restarts after a crash can converge on the desired state.
 * Failures throw {@link java.io.UncheckedIOException} subclasses naming the operation, address,
 * device and errno, e.g. {@code RTM_NEWADDR 192.0.2.100/24 dev eth0: EADDRNOTAVAIL}.
 */
public interface AddressManager {

    /** Adds the address (IPv6: with {@code nodad}, so it is usable at once). */
    void add(VirtualAddress address);

    /** Removes the address if present. */
    void remove(VirtualAddress address);

    /** Whether the address is currently configured on its interface. */
    boolean isPresent(VirtualAddress address);

    /** Sends one gratuitous ARP (IPv4) or unsolicited neighbour advertisement (IPv6) for the address. */
    void announce(VirtualAddress address);
}
