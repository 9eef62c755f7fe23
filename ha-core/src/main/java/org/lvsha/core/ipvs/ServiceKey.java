package org.lvsha.core.ipvs;

import java.net.InetAddress;
import java.util.Objects;

/**
 * What identifies a virtual service to the kernel (§2.3): either protocol + virtual address + port,
 * or a firewall mark with an address family. For a fwmark key {@code protocol} and {@code address}
 * are null and {@code port} is 0.
 */
public record ServiceKey(AddressFamily family, IpProtocol protocol, InetAddress address, int port, int fwmark) {

    public ServiceKey {
        Objects.requireNonNull(family, "family");
        if (fwmark != 0) {
            if (protocol != null || address != null || port != 0) {
                throw new IllegalArgumentException("a fwmark service has no protocol, address or port");
            }
        } else {
            Objects.requireNonNull(protocol, "protocol");
            Objects.requireNonNull(address, "address");
            if (AddressFamily.of(address) != family) {
                throw new IllegalArgumentException("address " + address + " is not " + family);
            }
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port out of range: " + port);
            }
        }
    }

    public static ServiceKey of(IpProtocol protocol, InetAddress address, int port) {
        return new ServiceKey(AddressFamily.of(address), protocol, address, port, 0);
    }

    public static ServiceKey fwmark(int mark, AddressFamily family) {
        if (mark == 0) {
            throw new IllegalArgumentException("fwmark must not be 0");
        }
        return new ServiceKey(family, null, null, 0, mark);
    }

    public boolean isFwmark() {
        return fwmark != 0;
    }

    /** How error messages and logs name the service: {@code TCP 203.0.113.100:80}, {@code FWM 5}, {@code FWM 5 IPv6}. */
    public String describe() {
        if (isFwmark()) {
            return "FWM " + Integer.toUnsignedString(fwmark) + (family == AddressFamily.INET6 ? " IPv6" : "");
        }
        return protocol.name() + " " + AddressText.withPort(address, port);
    }

    @Override
    public String toString() {
        return describe();
    }
}
