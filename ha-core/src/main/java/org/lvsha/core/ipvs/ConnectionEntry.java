package org.lvsha.core.ipvs;

import java.net.InetAddress;
import java.util.Objects;

/**
 * One entry of the connection table (§3.3, §3.5).
 *
 * @param protocol       protocol name as the kernel prints it: TCP, UDP, SCTP, IP (fwmark templates), ...
 * @param state          state name (§1.7), e.g. ESTABLISHED, or NONE/ASSURED for templates
 * @param flags          {@code IP_VS_CONN_F_*} (§1.6); the kernel's /proc view does not show them, see
 *                       {@link #FLAG_TEMPLATE}
 * @param expiresSeconds seconds left before the entry expires
 */
public record ConnectionEntry(String protocol, InetAddress clientAddress, int clientPort,
                              InetAddress virtualAddress, int virtualPort,
                              InetAddress destinationAddress, int destinationPort,
                              String state, int flags, long expiresSeconds, String peName, String peData) {

    public static final int FLAG_TEMPLATE = 0x1000;

    public ConnectionEntry {
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(clientAddress, "clientAddress");
        Objects.requireNonNull(virtualAddress, "virtualAddress");
        Objects.requireNonNull(destinationAddress, "destinationAddress");
        Objects.requireNonNull(state, "state");
        peName = peName == null ? "" : peName;
        peData = peData == null ? "" : peData;
    }

    public boolean template() {
        return (flags & FLAG_TEMPLATE) != 0;
    }

    public ForwardingMethod method() {
        return ForwardingMethod.ofCode(flags & 0x7);
    }
}
