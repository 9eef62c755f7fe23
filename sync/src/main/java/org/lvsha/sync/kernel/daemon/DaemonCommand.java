package org.lvsha.sync.kernel.daemon;

import org.lvsha.core.ipvs.SyncDaemon;
import org.lvsha.core.ipvs.SyncState;

/** One thing to do to the kernel's sync daemons (IPVS_CMD_NEW_DAEMON / DEL_DAEMON, reference notes §2.3). */
public sealed interface DaemonCommand {
    record Start(SyncDaemon daemon) implements DaemonCommand {
    }

    record Stop(SyncState state) implements DaemonCommand {
    }
}
