package org.lvsha.core.net;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Objects;

/**
 * An address that moves with mastership: the VIP on the outside interface or the DIP on the inside one.
 *
 * @param interfaceName the device it is added to, e.g. {@code eth0}
 * @param address       IPv4 or IPv6 address
 * @param prefixLength  0–32 (IPv4) or 0–128 (IPv6)
 * @param label         IPv4 label such as {@code eth0:0}, or {@code null}; must start with the interface name (kernel rule)
 */
public record VirtualAddress(String interfaceName, InetAddress address, int prefixLength, String label) {
    public VirtualAddress {
        Objects.requireNonNull(interfaceName, "interfaceName");
        Objects.requireNonNull(address, "address");
        int max = isIpv6(address) ? 128 : 32;
        if (prefixLength < 0 || prefixLength > max) {
            throw new IllegalArgumentException("prefix length " + prefixLength + " out of 0-" + max + " for " + address.getHostAddress());
        }
        if (label != null) {
            if (isIpv6(address)) {
                throw new IllegalArgumentException("IPv6 addresses have no label: " + address.getHostAddress());
            }
            if (!label.startsWith(interfaceName) || label.length() > 15) {
                throw new IllegalArgumentException("label '" + label + "' must start with '" + interfaceName + "' and be at most 15 characters");
            }
        }
    }

    private static boolean isIpv6(InetAddress a) {
        return a instanceof Inet6Address;
    }

    public boolean ipv6() {
        return isIpv6(address);
    }

    @Override
    public String toString() {
        return address.getHostAddress() + "/" + prefixLength + " dev " + interfaceName + (label == null ? "" : " label " + label);
    }
}
