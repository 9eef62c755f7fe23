package org.lvsha.health.config;

import java.util.List;

/**
 * A real server of a service as health checking sees it.
 *
 * @param id        stable identifier; defaults to {@code address:port} ({@code [v6]:port} for IPv6)
 * @param weight    the configured weight (the target after slow start)
 * @param maxWeight upper bound for dynamic weights (agent, command); defaults to {@code weight}
 * @param checks    all must be up for the server to be up; no checks means always up
 */
public record RealServerHealth(String id, String address, int port, int weight, Integer maxWeight, List<CheckSpec> checks) {
    public RealServerHealth {
        if (address == null || address.isBlank()) {
            throw new IllegalArgumentException("real server needs an address");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        if (weight < 0) {
            throw new IllegalArgumentException("weight must not be negative: " + weight);
        }
        id = id != null ? id : (address.contains(":") ? "[" + address + "]:" + port : address + ":" + port);
        maxWeight = maxWeight != null ? maxWeight : weight;
        if (maxWeight < 0) {
            throw new IllegalArgumentException("maxWeight must not be negative: " + maxWeight);
        }
        checks = checks == null ? List.of() : List.copyOf(checks);
    }

    public static RealServerHealth of(String address, int port, int weight, CheckSpec... checks) {
        return new RealServerHealth(null, address, port, weight, null, List.of(checks));
    }
}
