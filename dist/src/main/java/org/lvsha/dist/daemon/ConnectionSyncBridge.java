package org.lvsha.dist.daemon;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.concurrent.atomic.AtomicLong;
import org.lvsha.core.dataplane.ConnectionListener;
import org.lvsha.core.dataplane.ConnectionTable;
import org.lvsha.core.dataplane.DataPlane;
import org.lvsha.core.dataplane.SyncedConnection;
import org.lvsha.sync.replication.ConnectionEventKind;
import org.lvsha.sync.replication.ConnectionReplicator;
import org.lvsha.sync.store.ConnectionEntry;

/**
 * Joins the userspace data plane's connection table to connection sync, in both directions (a returning old
 * master gets the table back): every local creation, state change and expiry is published; every event applied
 * from another director is inserted into the local table, so that after a takeover established connections keep
 * their real server.
 *
 * <p>Entries that arrived by sync carry {@link ConnectionTable#FLAG_SYNC}; their creation is not published again
 * (that would echo every connection back to the director it came from). The replicator's store is not
 * thread-safe, and workers and the template table call in from several threads, so publishing takes one lock
 * and reuses one cursor: no allocation per event.
 */
public final class ConnectionSyncBridge implements ConnectionListener, AutoCloseable {
    private final DataPlane plane;
    private final ConnectionReplicator replicator;
    private final ConnectionEntry cursor = new ConnectionEntry();
    private final AtomicLong inserted = new AtomicLong();
    private final AtomicLong insertRefused = new AtomicLong();

    private ConnectionSyncBridge(DataPlane plane, ConnectionReplicator replicator) {
        this.plane = plane;
        this.replicator = replicator;
    }

    public static ConnectionSyncBridge connect(DataPlane plane, ConnectionReplicator replicator) {
        ConnectionSyncBridge b = new ConnectionSyncBridge(plane, replicator);
        replicator.onRemoteEvents(b::remote);
        plane.setConnectionListener(b);
        return b;
    }

    @Override
    public void created(ConnectionTable table, int id) {
        if ((table.flags(id) & ConnectionTable.FLAG_SYNC) == 0) {
            publish(ConnectionEventKind.CREATED, table, id);
        }
    }

    @Override
    public void stateChanged(ConnectionTable table, int id, int previousState) {
        publish(ConnectionEventKind.CHANGED, table, id);
    }

    @Override
    public void expired(ConnectionTable table, int id) {
        publish(ConnectionEventKind.EXPIRED, table, id);
    }

    private void publish(ConnectionEventKind kind, ConnectionTable t, int id) {
        synchronized (cursor) {
            cursor.clear().ipv4(t.protocol(id), t.clientAddress(id), t.clientPort(id), t.virtualAddress(id), t.virtualPort(id),
                    t.destinationAddress(id), t.destinationPort(id))
                    .state(t.state(id), t.flags(id) & 0xffff, 0, Math.max(1, t.timeoutMillis(id) / 1000));
            replicator.publish(kind, cursor);
        }
    }

    /** On the replicator's receiving thread; the entry is a reused cursor. */
    private void remote(ConnectionEventKind kind, ConnectionEntry e) {
        if (kind == ConnectionEventKind.EXPIRED || e.ipv6) {
            return; // the local entry expires by its own timeout; the data plane forwards IPv4 only
        }
        try {
            SyncedConnection c = new SyncedConnection(e.protocol, InetAddress.getByAddress(e.clientAddress()), e.cport,
                    InetAddress.getByAddress(e.virtualAddress()), e.vport, InetAddress.getByAddress(e.destinationAddress()), e.dport,
                    e.flags, e.state, e.timeoutSeconds);
            if (plane.insert(c)) {
                inserted.incrementAndGet();
            } else {
                insertRefused.incrementAndGet();
            }
        } catch (UnknownHostException ex) {
            insertRefused.incrementAndGet(); // cannot happen for 4-byte arrays
        }
    }

    public long inserted() {
        return inserted.get();
    }

    public long insertRefused() {
        return insertRefused.get();
    }

    @Override
    public void close() {
        plane.setConnectionListener(null);
        replicator.onRemoteEvents(null);
    }
}
