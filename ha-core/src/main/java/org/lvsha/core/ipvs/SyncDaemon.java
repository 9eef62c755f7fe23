package org.lvsha.core.ipvs;

import java.net.InetAddress;
import java.util.Objects;

/**
 * A kernel sync daemon (§1.1, §2.3 IPVS_DAEMON_ATTR_*). Zero / null fields are "not given": the kernel then
 * applies its defaults (224.0.0.81, port 8848, TTL 1, computed maxlen).
 */
public record SyncDaemon(SyncState state, String interfaceName, int syncId, int maxLen,
                         InetAddress group, int port, int ttl) {
    public SyncDaemon {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(interfaceName, "interfaceName");
        if (interfaceName.length() > 15) {
            throw new IllegalArgumentException("interface name longer than 15 characters: " + interfaceName);
        }
        if (syncId < 0 || syncId > 255) {
            throw new IllegalArgumentException("syncid must be 0..255: " + syncId);
        }
        if (maxLen < 0 || maxLen > 65535 || port < 0 || port > 65535 || ttl < 0 || ttl > 255) {
            throw new IllegalArgumentException("maxlen, port or ttl out of range");
        }
    }

    public static SyncDaemon of(SyncState state, String interfaceName, int syncId) {
        return new SyncDaemon(state, interfaceName, syncId, 0, null, 0, 0);
    }
}
