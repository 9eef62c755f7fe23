package org.lvsha.sync.kernel.relay;

import java.io.IOException;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.lvsha.sync.kernel.KernelSyncRelay;
import org.lvsha.sync.replication.ConnectionEventKind;
import org.lvsha.sync.replication.ConnectionEventListener;
import org.lvsha.sync.replication.ConnectionReplicator;
import org.lvsha.sync.store.ConnectionEntry;
import org.lvsha.sync.store.ReplicaStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Relay mode: the kernel's sync daemons, carried by lvsha's replication.
 *
 * <pre>
 *  director A                                              director B
 *  kernel master ──UDP→ group:capturePort (tap, §1.1)       kernel backup ←─ group:injectPort, TTL 0, loop
 *        └─ KernelSyncCapture → decode → replicator.publish ══JGroups══▶ onRemoteEvent → encode v1 → injector ┘
 * </pre>
 *
 * Every director runs one, whatever its role: the capture only ever sees its own kernel master's datagrams
 * (outgoing frames), and injection only reaches its own kernel backup (TTL 0). What the kernel gains: JGroups'
 * retransmission instead of lost datagrams, authentication and encryption, and state transfer — when this
 * relay becomes ready, and whenever the daemon driver starts a backup daemon here ({@link #injectReplica}),
 * the whole replica is injected, so a restarted director's kernel gets every connection, not only those that
 * change from now on.
 *
 * <p>Loops cannot form: events applied from other members are never published again (the listener only
 * injects), injected datagrams never leave the host, and the capture ignores the injector's source port.
 */
public final class KernelRelay implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(KernelRelay.class);
    /** Datagrams injected back to back before a short pause, so the backup daemon's socket buffer keeps up. */
    static final int INJECT_BURST = 64;
    static final long INJECT_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private final ConnectionReplicator replicator;
    private final KernelSyncRelay relay;
    private final KernelSyncInjector injector;
    private final KernelSyncCapture capture;

    private KernelRelay(ConnectionReplicator replicator, KernelRelaySettings s) throws IOException {
        this.replicator = replicator;
        NetworkInterface nif = NetworkInterface.getByName(s.interfaceName());
        if (nif == null) {
            throw new SocketException("no sync interface " + s.interfaceName());
        }
        this.injector = new KernelSyncInjector(nif, s.group(), s.injectPort(), s.injectTtl());
        this.relay = new KernelSyncRelay(s.syncId(), s.maxDatagram(), replicator::publish, injector);
        KernelSyncCapture c;
        try {
            c = new KernelSyncCapture(nif, s.group(), s.capturePort(), injector.localPort(),
                    (buf, off, len) -> relay.fromKernel(buf, off, len));
        } catch (RuntimeException e) {
            injector.close();
            throw e;
        }
        this.capture = c;
    }

    /** Starts relaying between the local kernel daemons and {@code replicator}. */
    public static KernelRelay start(ConnectionReplicator replicator, KernelRelaySettings s) throws IOException {
        KernelRelay r = new KernelRelay(replicator, s);
        replicator.onRemoteEvents(new ConnectionEventListener() {
            @Override
            public void onRemoteEvent(ConnectionEventKind kind, ConnectionEntry entry) {
                r.relay.toKernel(kind, entry);
            }

            @Override
            public void onBatchEnd() {
                r.relay.flush();
            }
        });
        replicator.ready().thenRun(() -> {
            int n = r.injectReplica();
            LOG.info("kernel relay on {}: ready; {} replicated connections injected to the kernel backup daemon",
                    s.interfaceName(), n);
        });
        return r;
    }

    /**
     * Injects every connection of the replica into the local kernel backup daemon (the kernel's missing state
     * transfer); returns how many. Paced: a burst of {@value #INJECT_BURST} datagrams, then a millisecond.
     */
    public int injectReplica() {
        ReplicaStore.Snapshot snapshot = replicator.store().snapshot();
        int[] n = {0};
        long[] lastPause = {relay.datagramsInjected()};
        snapshot.forEach(new ConnectionEntry(), e -> {
            relay.toKernel(ConnectionEventKind.CHANGED, e);
            n[0]++;
            long sent = relay.datagramsInjected();
            if (sent - lastPause[0] >= INJECT_BURST) {
                LockSupport.parkNanos(INJECT_PAUSE_NANOS);
                lastPause[0] = sent;
            }
        });
        relay.flush();
        return n[0];
    }

    /**
     * For {@code SyncDaemonDriver}'s after-transition hook: when this director's role runs a backup daemon, the
     * daemon (possibly just started, with an empty table) gets the whole replica.
     */
    public java.util.function.Consumer<org.lvsha.sync.kernel.daemon.DirectorRole> reinjectWhenBackup() {
        return role -> {
            if (role == org.lvsha.sync.kernel.daemon.DirectorRole.BACKUP || role == org.lvsha.sync.kernel.daemon.DirectorRole.FAULT
                    || role == org.lvsha.sync.kernel.daemon.DirectorRole.INITIALIZE) {
                if (replicator.isReady()) {
                    injectReplica();
                }
            }
        };
    }

    public KernelSyncRelay relay() {
        return relay;
    }

    public KernelSyncCapture capture() {
        return capture;
    }

    @Override
    public void close() throws IOException, InterruptedException {
        replicator.onRemoteEvents(null);
        try {
            capture.close();
        } finally {
            injector.close();
        }
    }
}
