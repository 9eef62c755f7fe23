package org.lvsha.sync.dataplane;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiConsumer;
import java.util.function.Predicate;
import org.lvsha.core.dataplane.ConnectionListener;
import org.lvsha.core.dataplane.ConnectionTable;
import org.lvsha.core.dataplane.SyncedConnection;
import org.lvsha.sync.replication.ConnectionEventKind;
import org.lvsha.sync.replication.ConnectionEventListener;
import org.lvsha.sync.store.ConnectionEntry;
import org.lvsha.sync.store.ReplicaStore;

/**
 * Links the userspace data plane's connection table to connection sync, in both directions:
 *
 * <ul>
 *   <li>table → sync: every connection this director schedules ({@code created}), every state change and every
 *       expiry is published ({@code replicator::publish}) with its real server, forwarding method, state and
 *       timeout — the fields of a kernel v1 entry (reference notes §1.3, flags §1.6);</li>
 *   <li>sync → table: every connection another director publishes is inserted ({@code DataPlane::insert}) with
 *       the same real server, so after a failover this director forwards it where it went before.</li>
 * </ul>
 *
 * <p>No echo: entries inserted from outside carry {@link ConnectionTable#FLAG_SYNC} (as the kernel marks
 * synced connections), and their events are not published again — otherwise the insert's own
 * {@code created}/{@code stateChanged} would go back to the sender and ping-pong. The cost: after a failover,
 * state changes of a connection the new master only knows from sync are not sent back (its creation on the old
 * master was). Remote expiries are not applied: like the kernel protocol, which has no deletion (§1.11), a
 * synced copy ends by its own timeout, so a late expiry can never remove a connection another director is
 * forwarding.
 *
 * <p>Table callbacks run on the packet workers and must not block: publishing copies the fields into a reused
 * per-thread entry and appends to the replicator's batch. Remote events run on the replicator's receive thread.
 */
public final class ConnectionTableLink implements ConnectionListener, ConnectionEventListener {
    /** IP_VS_CONN_F_* bits a peer may use (§1.6): forwarding method, NOOUTPUT, INACTIVE, TEMPLATE; not SYNC or internal ones. */
    static final int REPLICATED_FLAGS = ConnectionTable.FLAG_FWD_MASK | ConnectionTable.FLAG_NOOUTPUT
            | ConnectionTable.FLAG_INACTIVE | ConnectionTable.FLAG_TEMPLATE;

    private final BiConsumer<ConnectionEventKind, ConnectionEntry> publisher;
    private final Predicate<SyncedConnection> inserter;
    private final ThreadLocal<ConnectionEntry> cursors = ThreadLocal.withInitial(ConnectionEntry::new);
    private final LongAdder published = new LongAdder();
    private final LongAdder syncedNotPublished = new LongAdder();
    private final LongAdder inserted = new LongAdder();
    private final LongAdder insertRefused = new LongAdder();
    private final LongAdder remoteExpiriesIgnored = new LongAdder();

    /**
     * @param publisher e.g. {@code replicator::publish}
     * @param inserter  e.g. {@code dataPlane::insert}: false when the service or real server is unknown here or
     *                  the table is full
     */
    public ConnectionTableLink(BiConsumer<ConnectionEventKind, ConnectionEntry> publisher, Predicate<SyncedConnection> inserter) {
        this.publisher = publisher;
        this.inserter = inserter;
    }

    // ---------------------------------------------------------------- table → sync

    @Override
    public void created(ConnectionTable table, int id) {
        publish(ConnectionEventKind.CREATED, table, id);
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
        int flags = t.flags(id);
        if ((flags & ConnectionTable.FLAG_SYNC) != 0) {
            syncedNotPublished.increment();
            return;
        }
        ConnectionEntry e = cursors.get();
        e.clear().ipv4(t.protocol(id), t.clientAddress(id), t.clientPort(id), t.virtualAddress(id), t.virtualPort(id),
                t.destinationAddress(id), t.destinationPort(id));
        e.state(t.state(id), flags & REPLICATED_FLAGS, 0, Math.max(1, (t.timeoutMillis(id) + 999) / 1000));
        publisher.accept(kind, e);
        published.increment();
    }

    // ---------------------------------------------------------------- sync → table

    @Override
    public void onRemoteEvent(ConnectionEventKind kind, ConnectionEntry e) {
        if (kind == ConnectionEventKind.EXPIRED) {
            remoteExpiriesIgnored.increment();
            return;
        }
        insert(e);
    }

    private void insert(ConnectionEntry e) {
        if (e.ipv6) {
            insertRefused.increment(); // the userspace data plane forwards IPv4 only
            return;
        }
        SyncedConnection c;
        try {
            c = new SyncedConnection(e.protocol, InetAddress.getByAddress(e.clientAddress()), e.cport,
                    InetAddress.getByAddress(e.virtualAddress()), e.vport, InetAddress.getByAddress(e.destinationAddress()),
                    e.dport, e.flags & REPLICATED_FLAGS, e.state, e.timeoutSeconds);
        } catch (UnknownHostException ex) {
            insertRefused.increment();
            return;
        }
        if (inserter.test(c)) {
            inserted.increment();
        } else {
            insertRefused.increment();
        }
    }

    /**
     * Inserts every connection of the replica (after a state transfer, which applies no events one by one:
     * call it when the replicator becomes ready); returns how many were taken.
     */
    public int insertAll(ReplicaStore store) {
        long before = inserted.sum();
        store.snapshot().forEach(new ConnectionEntry(), this::insert);
        return (int) (inserted.sum() - before);
    }

    public long published() {
        return published.sum();
    }

    public long syncedNotPublished() {
        return syncedNotPublished.sum();
    }

    public long inserted() {
        return inserted.sum();
    }

    public long insertRefused() {
        return insertRefused.sum();
    }

    public long remoteExpiriesIgnored() {
        return remoteExpiriesIgnored.sum();
    }
}
