package org.lvsha.core.ipvs;

import java.net.InetAddress;
import java.util.Objects;

/**
 * A real server of a virtual service, as a complete object: ipvsadm and the kernel adapter always send every
 * field (§2.5), so an edit can never silently reset the forwarding method or thresholds.
 *
 * <p>Values the kernel refuses with an errno (negative weight → ERANGE, lower threshold above upper → ERANGE)
 * are representable here on purpose, so that both adapters report the kernel's error rather than this record.
 *
 * @param upperThreshold 0 = no limit; at or above it the destination is overloaded (§4)
 * @param lowerThreshold 0 = clear overload below 3/4 of the upper threshold (§2.3 L_THRESH)
 * @param tunnel         tunnel settings, meaningful for {@link ForwardingMethod#TUNNEL}; {@link Tunnel#IPIP} otherwise
 */
public record Destination(InetAddress address, int port, ForwardingMethod method, int weight,
                          int upperThreshold, int lowerThreshold, Tunnel tunnel) {

    public Destination {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(tunnel, "tunnel");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        if (upperThreshold < 0 || lowerThreshold < 0) {
            throw new IllegalArgumentException("thresholds must not be negative");
        }
    }

    /** A destination with ipvsadm's defaults for the omitted options: weight 1, no thresholds, IPIP tunnel. */
    public static Destination of(InetAddress address, int port, ForwardingMethod method, int weight) {
        return new Destination(address, port, method, weight, 0, 0, Tunnel.IPIP);
    }

    public AddressFamily family() {
        return AddressFamily.of(address);
    }

    public Destination withWeight(int newWeight) {
        return new Destination(address, port, method, newWeight, upperThreshold, lowerThreshold, tunnel);
    }

    public Destination withThresholds(int upper, int lower) {
        return new Destination(address, port, method, weight, upper, lower, tunnel);
    }

    public Destination withTunnel(Tunnel newTunnel) {
        return new Destination(address, port, method, weight, upperThreshold, lowerThreshold, newTunnel);
    }

    /** {@code 10.0.0.11:80} or {@code [2001:db8::1]:80}. */
    public String describe() {
        return AddressText.withPort(address, port);
    }
}
