package org.lvsha.dist.sync;

import java.util.concurrent.Executor;
import org.lvsha.sync.kernel.daemon.DirectorRole;
import org.lvsha.sync.kernel.daemon.SyncDaemonDriver;
import org.lvsha.vrrp.notify.TransitionEvent;
import org.lvsha.vrrp.notify.TransitionListener;
import org.lvsha.vrrp.proto.State;

/**
 * Hands the transitions of the one VRRP instance (or sync group) that owns the kernel sync daemons to the
 * {@link SyncDaemonDriver} — keepalived's {@code lvs_sync_daemon IFACE INSTANCE}. The node calls listeners on its
 * own thread and they must not block, while the driver talks netlink: the driver runs on {@code executor} (one
 * thread, so the roles are applied in the order they happened).
 */
public final class SyncDaemonBinding implements TransitionListener {
    private final String owner;
    private final SyncDaemonDriver driver;
    private final Executor executor;

    /**
     * @param owner    the instance (or sync group) name whose state decides the daemons
     * @param executor a single-threaded executor
     */
    public SyncDaemonBinding(String owner, SyncDaemonDriver driver, Executor executor) {
        this.owner = owner;
        this.driver = driver;
        this.executor = executor;
    }

    /** Start-up, before the first election: the backup daemon (as keepalived). */
    public void start() {
        executor.execute(() -> driver.apply(DirectorRole.INITIALIZE));
    }

    @Override
    public void onTransition(TransitionEvent e) {
        if (!owner.equals(e.name())) {
            return;
        }
        DirectorRole role = roleOf(e.to());
        executor.execute(() -> driver.apply(role));
    }

    /** VRRP state → role; a stopped instance is reported as INITIALIZE (TransitionEvent), i.e. the director stops. */
    static DirectorRole roleOf(State s) {
        return switch (s) {
            case MASTER -> DirectorRole.MASTER;
            case BACKUP -> DirectorRole.BACKUP;
            case FAULT -> DirectorRole.FAULT;
            case INITIALIZE -> DirectorRole.STOPPED;
        };
    }
}
