package org.lvsha.dist.config;

import org.lvsha.sync.replication.SyncConfig;

/**
 * Connection sync as configured. {@code enabled == false} (or no {@code sync:} section) means no replication:
 * the daemon neither joins a cluster nor waits for a state transfer.
 *
 * @param interfaceName the interface the sync address lives on (documentation and status only)
 * @param kernelRelay   relay the kernel sync daemon's messages through the replication channel (kernel backend)
 */
public record SyncSettings(boolean enabled, SyncConfig replication, String interfaceName, boolean kernelRelay) {
    public static final SyncSettings DISABLED = new SyncSettings(false, null, null, false);
}
