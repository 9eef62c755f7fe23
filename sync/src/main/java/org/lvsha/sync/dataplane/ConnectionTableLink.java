package org.lvsha.sync.dataplane;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
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
 *   <li>sync → table: every connection another director publishes is inserted ({@code DataPlane::insertAsync}) with
 *       the same real server, so after a failover this director forwards it where it went before.</li>
 * </ul>
 *
 * <p>No echo: the events an insert itself causes ({@link ConnectionTable#applyingSync()}) are not published —
 * otherwise they would go back to the sender and ping-pong. Packet-driven state changes of a synced entry
 * ({@link ConnectionTable#FLAG_SYNC}, as the kernel marks them) are published: after a failover the new master
 * forwards connections it only knows from sync, and their FIN or RST must reach the old master when it returns.
 * Expiries of synced entries are not published, and remote expiries are not applied: like the kernel protocol,
 * which has no deletion (§1.11), a synced copy ends by its own timeout, so a late expiry can never remove a
 * connection another director is forwarding.
 *
 * <p>Both directions run without waiting. Table callbacks run on the packet workers: publishing copies the
 * fields into a reused per-thread entry and appends to the replicator's batch. Remote events run on the
 * replicator's receive thread: an insert is handed to the owning worker ({@link Inserter}) and its result
 * counted when the worker has applied it.
 */
public final class ConnectionTableLink implements ConnectionListener, ConnectionEventListener {
    /** Where synced connections go, e.g. {@code dataPlane::insertAsync}; {@code done} gets false when refused. */
    @FunctionalInterface
    public interface Inserter {
        void insert(SyncedConnection c, Consumer<Boolean> done);
    }

    /** insertAll keeps at most this many inserts in the workers' inboxes (a state transfer can hold millions). */
    private static final int INSERT_ALL_WINDOW = 4096;

    /** IP_VS_CONN_F_* bits a peer may use (§1.6): forwarding method, NOOUTPUT, INACTIVE, TEMPLATE; not SYNC or internal ones. */
    static final int REPLICATED_FLAGS = ConnectionTable.FLAG_FWD_MASK | ConnectionTable.FLAG_NOOUTPUT
            | ConnectionTable.FLAG_INACTIVE | ConnectionTable.FLAG_TEMPLATE;

    private final BiConsumer<ConnectionEventKind, ConnectionEntry> publisher;
    private final Inserter inserter;
    private final Consumer<Boolean> counter = this::count;
    private final ThreadLocal<ConnectionEntry> cursors = ThreadLocal.withInitial(ConnectionEntry::new);
    private final LongAdder published = new LongAdder();
    private final LongAdder syncedNotPublished = new LongAdder();
    private final LongAdder inserted = new LongAdder();
    private final LongAdder insertRefused = new LongAdder();
    private final LongAdder remoteExpiriesIgnored = new LongAdder();

    /**
     * @param publisher e.g. {@code replicator::publish}
     * @param inserter  e.g. {@code dataPlane::insertAsync}: false when the service or real server is unknown here
     *                  or the table is full
     */
    public ConnectionTableLink(BiConsumer<ConnectionEventKind, ConnectionEntry> publisher, Inserter inserter) {
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

    /** A busy connection without state changes: announced again so the peers' copies do not time out under it. */
    @Override
    public void refreshed(ConnectionTable table, int id) {
        publish(ConnectionEventKind.CHANGED, table, id);
    }

    @Override
    public void expired(ConnectionTable table, int id) {
        publish(ConnectionEventKind.EXPIRED, table, id);
    }

    private void publish(ConnectionEventKind kind, ConnectionTable t, int id) {
        int flags = t.flags(id);
        if (t.applyingSync() || (kind == ConnectionEventKind.EXPIRED && (flags & ConnectionTable.FLAG_SYNC) != 0)) {
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
        insert(e, counter);
    }

    private void insert(ConnectionEntry e, Consumer<Boolean> done) {
        if (e.ipv6) {
            done.accept(false); // the userspace data plane forwards IPv4 only
            return;
        }
        SyncedConnection c;
        try {
            c = new SyncedConnection(e.protocol, InetAddress.getByAddress(e.clientAddress()), e.cport,
                    InetAddress.getByAddress(e.virtualAddress()), e.vport, InetAddress.getByAddress(e.destinationAddress()),
                    e.dport, e.flags & REPLICATED_FLAGS, e.state, e.timeoutSeconds);
        } catch (UnknownHostException ex) {
            done.accept(false);
            return;
        }
        inserter.insert(c, done);
    }

    private void count(boolean taken) {
        if (taken) {
            inserted.increment();
        } else {
            insertRefused.increment();
        }
    }

    /**
     * Inserts every connection of the replica (after a state transfer, which applies no events one by one:
     * call it when the replicator becomes ready) and waits until the workers have applied them; returns how many
     * were taken. At most {@value #INSERT_ALL_WINDOW} inserts wait in the inboxes at a time.
     */
    public int insertAll(ReplicaStore store, Duration timeout) throws InterruptedException, TimeoutException {
        Semaphore window = new Semaphore(INSERT_ALL_WINDOW);
        AtomicInteger taken = new AtomicInteger();
        long deadline = System.nanoTime() + timeout.toNanos();
        // forEach cannot stop early: after an interrupt or the deadline the remaining entries are skipped.
        boolean[] stop = new boolean[1];
        store.snapshot().forEach(new ConnectionEntry(), e -> {
            if (stop[0]) {
                return;
            }
            try {
                if (!window.tryAcquire(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                    stop[0] = true;
                    return;
                }
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                stop[0] = true;
                return;
            }
            insert(e, ok -> {
                count(ok);
                if (ok) {
                    taken.incrementAndGet();
                }
                window.release();
            });
        });
        if (Thread.interrupted()) {
            throw new InterruptedException("inserting replicated connections");
        }
        if (stop[0] || !window.tryAcquire(INSERT_ALL_WINDOW, Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
            throw new TimeoutException("the data plane took " + taken.get() + " replicated connections, not all within " + timeout);
        }
        return taken.get();
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
