package org.lvsha.core.ipvs;

import java.util.Objects;

/** Tunnel settings of a TUN destination (§2.3 TUN_TYPE/TUN_PORT/TUN_FLAGS). The kernel default is plain IPIP. */
public record Tunnel(TunnelType type, int port, TunnelChecksum checksum) {

    public static final Tunnel IPIP = new Tunnel(TunnelType.IPIP, 0, TunnelChecksum.NOCSUM);

    public Tunnel {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(checksum, "checksum");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("tunnel port out of range: " + port);
        }
    }
}
