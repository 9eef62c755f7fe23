package org.lvsha.health.check;

import java.net.InetSocketAddress;

/**
 * Where a probe goes: the resolved socket address and the name to use for Host headers and TLS SNI.
 * Addresses are literals (never resolved through DNS at check time).
 */
public record CheckTarget(InetSocketAddress address, String hostName) {
    public static CheckTarget of(String ip, int port, String hostName) {
        InetSocketAddress a = new InetSocketAddress(literal(ip), port);
        return new CheckTarget(a, hostName != null ? hostName : ip);
    }

    static java.net.InetAddress literal(String ip) {
        try {
            // getByName on a literal never performs a lookup.
            if (!ip.matches("[0-9a-fA-F:.\\[\\]%]+")) {
                throw new IllegalArgumentException("real server address must be an IP literal: " + ip);
            }
            return java.net.InetAddress.getByName(ip);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException("not an IP address: " + ip, e);
        }
    }

    public String hostPort() {
        String h = address.getAddress().getHostAddress();
        return (h.contains(":") ? "[" + h + "]" : h) + ":" + address.getPort();
    }
}
