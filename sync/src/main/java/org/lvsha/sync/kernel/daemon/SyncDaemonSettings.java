package org.lvsha.sync.kernel.daemon;

import java.net.InetAddress;
import java.util.Objects;
import org.lvsha.core.ipvs.SyncDaemon;
import org.lvsha.core.ipvs.SyncState;

/**
 * How the kernel sync daemons are to run (keepalived's {@code lvs_sync_daemon IFACE INSTANCE [id] [maxlen]
 * [port] [ttl] [group]}, reference notes §1.1). Zero / null means "the kernel's default" (224.0.0.81,
 * 8848, TTL 1, computed maxlen), as in {@link SyncDaemon}.
 *
 * @param masterPort        the port the kernel <em>master</em> daemon sends to; 0 = {@code port}. In relay mode
 *                          this differs from {@code port}, so a kernel master's datagrams never reach another
 *                          director's kernel backup directly: only the local relay reads them (it captures
 *                          them on the sync interface) and they reach the backup through JGroups
 * @param backupWhileMaster keep a backup daemon running on the master too (the kernel allows both at once,
 *                          §1.1 "Direction"); keepalived stops it, which is the default here
 */
public record SyncDaemonSettings(String interfaceName, int syncId, int maxLen, InetAddress group, int port,
                                 int masterPort, int ttl, boolean backupWhileMaster) {
    public SyncDaemonSettings {
        Objects.requireNonNull(interfaceName, "interfaceName");
        if (masterPort < 0 || masterPort > 65535) {
            throw new IllegalArgumentException("master port out of range: " + masterPort);
        }
        // the rest is checked by building the daemons once
        new SyncDaemon(SyncState.MASTER, interfaceName, syncId, maxLen, group, port, ttl);
    }

    /** keepalived's defaults: one interface and syncid, the kernel's group/port/ttl/maxlen, no backup on the master. */
    public static SyncDaemonSettings of(String interfaceName, int syncId) {
        return new SyncDaemonSettings(interfaceName, syncId, 0, null, 0, 0, 0, false);
    }

    public SyncDaemonSettings withMasterPort(int p) {
        return new SyncDaemonSettings(interfaceName, syncId, maxLen, group, port, p, ttl, backupWhileMaster);
    }

    public SyncDaemonSettings withPort(int p) {
        return new SyncDaemonSettings(interfaceName, syncId, maxLen, group, p, masterPort, ttl, backupWhileMaster);
    }

    public SyncDaemonSettings withBackupWhileMaster(boolean b) {
        return new SyncDaemonSettings(interfaceName, syncId, maxLen, group, port, masterPort, ttl, b);
    }

    /** The daemon of {@code state} exactly as it should run. */
    public SyncDaemon daemon(SyncState state) {
        int p = state == SyncState.MASTER && masterPort != 0 ? masterPort : port;
        return new SyncDaemon(state, interfaceName, syncId, maxLen, group, p, ttl);
    }
}
