package org.lvsha.vrrp.codec;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Objects;

/**
 * What the socket layer knows about a datagram that the VRRP payload itself does not carry: the IP
 * source and destination (for the v3 pseudo-header checksum and the tie-break) and the TTL / hop limit.
 */
public record IpFacts(InetAddress source, InetAddress destination, int ttl) {
    public IpFacts {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(destination, "destination");
        if ((source instanceof Inet6Address) != (destination instanceof Inet6Address)) {
            throw new IllegalArgumentException("source and destination of different families: " + source + " " + destination);
        }
    }

    public boolean ipv6() {
        return source instanceof Inet6Address;
    }
}
