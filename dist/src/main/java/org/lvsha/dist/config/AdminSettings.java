package org.lvsha.dist.config;

import java.net.InetSocketAddress;

/**
 * The admin HTTP endpoint.
 *
 * @param listen where it listens (default {@code 127.0.0.1:9180}: loopback, the API can move mastership)
 * @param peer   the other director's admin endpoint, used only by {@code failover --back}; may be null
 */
public record AdminSettings(InetSocketAddress listen, InetSocketAddress peer) {
    public static final int DEFAULT_PORT = 9180;
}
