package org.lvsha.dist.daemon;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.lvsha.core.ipvs.Ipvs;
import org.lvsha.dist.config.DaemonConfig;
import org.lvsha.dist.sync.SyncDaemonBinding;
import org.lvsha.sync.kernel.daemon.SyncDaemonDriver;
import org.lvsha.sync.kernel.daemon.SyncDaemonSettings;
import org.lvsha.sync.kernel.relay.KernelRelay;
import org.lvsha.sync.kernel.relay.KernelRelaySettings;
import org.lvsha.sync.replication.ConnectionReplicator;
import org.lvsha.vrrp.notify.TransitionEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kernel backend only: the kernel's own sync daemons follow VRRP (keepalived's {@code lvs_sync_daemon}): master
 * daemon on the master, backup daemon elsewhere, owned by the first sync group (or the first instance). With
 * {@code sync.kernel-relay} the kernel master sends to a port no kernel backup listens on and the relay carries its
 * messages through the replication channel (reliable, with state transfer), re-injecting them into the local backup
 * daemon. Composed from the sync module's {@link SyncDaemonDriver}, {@link SyncDaemonBinding} and {@link KernelRelay};
 * not exercised by this project's tests here (this machine has no {@code ip_vs}).
 */
final class KernelSyncDaemons implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(KernelSyncDaemons.class);

    private final ExecutorService executor;
    private final SyncDaemonBinding binding;
    private final KernelRelay relay;

    private KernelSyncDaemons(ExecutorService executor, SyncDaemonBinding binding, KernelRelay relay) {
        this.executor = executor;
        this.binding = binding;
        this.relay = relay;
    }

    static KernelSyncDaemons start(DaemonConfig config, Ipvs ipvs, ConnectionReplicator replicator) throws java.io.IOException {
        String ifname = config.sync().interfaceName();
        int syncId = config.sync().replication().syncId();
        KernelRelay relay = null;
        SyncDaemonSettings settings = SyncDaemonSettings.of(ifname, syncId);
        if (config.sync().kernelRelay()) {
            KernelRelaySettings rs = KernelRelaySettings.defaults(ifname, syncId);
            relay = KernelRelay.start(replicator, rs);
            settings = settings.withMasterPort(rs.capturePort());
        }
        String owner = config.vrrp().groups().isEmpty() ? config.vrrp().instances().get(0).name() : config.vrrp().groups().get(0).name();
        SyncDaemonDriver driver = new SyncDaemonDriver(ipvs, settings, relay == null ? null : relay.reinjectWhenBackup());
        // One thread: the driver talks netlink, and roles must apply in the order they happened.
        ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "lvsha-kernel-sync");
            t.setDaemon(true);
            return t;
        });
        SyncDaemonBinding binding = new SyncDaemonBinding(owner, driver, executor);
        KernelSyncDaemons ready = new KernelSyncDaemons(executor, binding, relay);
        binding.start();
        LOG.info("kernel sync daemons on {} (syncid {}) follow {}{}", ifname, syncId, owner, relay == null ? "" : ", relayed through sync");
        return ready;
    }

    void onTransition(TransitionEvent e) {
        binding.onTransition(e);
    }

    @Override
    public void close() throws Exception {
        executor.shutdown();
        executor.awaitTermination(5, TimeUnit.SECONDS);
        if (relay != null) {
            relay.close();
        }
    }
}
