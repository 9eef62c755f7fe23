package org.lvsha.sync.replication;

import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jgroups.Address;
import org.jgroups.BytesMessage;
import org.jgroups.JChannel;
import org.jgroups.Message;
import org.jgroups.Receiver;
import org.jgroups.View;
import org.lvsha.sync.store.ConnectionEntry;
import org.lvsha.sync.store.ReplicaStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replicates the connection table between directors over one JGroups channel.
 *
 * <p>Each node {@link #publish publishes} the connections it forwards (creations, state changes,
 * expiries); they go into its own {@link #store() replica store} and, batched, to every other
 * member, whose stores apply them. So every member holds the whole table, and a returning old
 * master gets it back.
 *
 * <p>Readiness: {@link #start} connects in the background; a joining node receives the full table
 * by streamed state transfer from the coordinator before {@link #ready()} completes. Batches that
 * arrive meanwhile are held and applied, in order, after the state — upserts and removals are
 * idempotent per key, so applying one that the state already contained changes nothing. The daemon
 * gates mastership on {@link #ready()}.
 */
public final class ConnectionReplicator implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectionReplicator.class);
    /** Batches held while the state transfer runs (~8 KB each: 64 MB at most). */
    static final int HOLD_LIMIT = 8192;
    /** Connect attempts while discovery shows members but the join ends alone. */
    static final int JOIN_ROUNDS = 3;
    /** Finished batches waiting for the sender thread (~8 KB each: 16 MB, ~0.7 s at 500 000 events/s). */
    static final int SEND_QUEUE_BATCHES = 2048;
    /** How long {@link #close} lets the sender deliver what is pending to a live peer. */
    static final Duration CLOSE_DRAIN = Duration.ofSeconds(1);
    /** How long the re-send after a merge waits for room in the send queue before it gives up waiting. */
    static final Duration MERGE_QUEUE_WAIT = Duration.ofSeconds(5);

    private final SyncConfig config;
    private final SharedKey key;
    private final SharedKeyEncrypt encrypt;
    private final ReplicaStore store;
    private final SyncMetrics metrics = new SyncMetrics();
    private final JChannel channel;
    private final BatchSender sender;
    private final EventBatcher batcher;
    private final BatchApplier applier;
    private final CompletableFuture<Void> ready = new CompletableFuture<>();
    private final ScheduledExecutorService timer;
    private final Object holdLock = new Object();
    private ArrayDeque<byte[]> held = new ArrayDeque<>();
    private boolean holdOverflowed;
    private volatile View view;
    private volatile boolean refusedByCluster;
    private volatile Exception stateFailure;

    private ConnectionReplicator(SyncConfig config) throws Exception {
        this.config = config;
        this.key = config.keyFile() == null ? null : SharedKey.fromFile(config.keyFile());
        if (key == null) {
            LOG.warn("sync {}: no key file — connection sync is neither encrypted nor authenticated", config.channelName());
        }
        this.encrypt = key == null ? null : new SharedKeyEncrypt(key);
        this.store = new ReplicaStore(config.maxEntries());
        this.channel = new JChannel(SyncStackFactory.build(config, encrypt));
        channel.setDiscardOwnMessages(true);
        this.sender = new BatchSender(config.channelName(), SEND_QUEUE_BATCHES, this::send, metrics);
        this.batcher = new EventBatcher(config.syncId(), config.batchBytes(), config.flushInterval().toNanos(),
                key == null ? null : key.newMac(), System::nanoTime, ConnectionReplicator::nowMicros, sender::offer);
        this.applier = new BatchApplier(config.syncId(), store, metrics, key);
        if (encrypt != null) {
            encrypt.onWrongKey(this::wrongKeySeen);
        }
        channel.setReceiver(new ChannelReceiver());
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "lvsha-sync-timer-" + config.syncId());
            t.setDaemon(true);
            return t;
        });
    }

    /** Creates the channel and starts joining; returns at once. Watch {@link #ready()}. */
    public static ConnectionReplicator start(SyncConfig config) throws Exception {
        ConnectionReplicator r = new ConnectionReplicator(config);
        long flushMicros = Math.max(500, config.flushInterval().toNanos() / 2000);
        r.timer.scheduleAtFixedRate(r.batcher::flushIfDue, flushMicros, flushMicros, TimeUnit.MICROSECONDS);
        r.timer.scheduleAtFixedRate(() -> r.store.expireDue(200_000), 1, 1, TimeUnit.SECONDS);
        Thread joiner = new Thread(r::join, "lvsha-sync-join-" + config.syncId());
        joiner.setDaemon(true);
        joiner.start();
        return r;
    }

    private void join() {
        long t0 = System.nanoTime();
        Exception lastError = null;
        for (int round = 1; round <= JOIN_ROUNDS; round++) {
            try {
                channel.connect(config.channelName(), null, config.stateTimeout().toMillis());
                if (stateFailure != null) {
                    throw stateFailure;
                }
                synchronized (holdLock) {
                    if (holdOverflowed) {
                        // batches were lost while the state streamed: the table would have holes
                        throw new IllegalStateException("more than " + HOLD_LIMIT + " batches arrived during the state transfer");
                    }
                }
            } catch (Exception e) {
                // e.g. the state provider left or restarted its own join while streaming: start over
                lastError = e;
                LOG.warn("sync {}: join round {}/{} failed: {}", config.channelName(), round, JOIN_ROUNDS, e.toString());
                startOver();
                continue;
            }
            lastError = null;
            View joined = channel.getView();
            if (joined.size() > 1 || round == JOIN_ROUNDS || (encrypt != null && encrypt.wrongKeyDrops() > 0)) {
                break;
            }
            int others = othersAnsweringDiscovery();
            if (others == 0) {
                break;
            }
            // Typically a node restarted before the others noticed its previous incarnation died:
            // the survivor still named the dead node coordinator, nobody accepted the JOIN, and
            // JGroups made us a singleton. Becoming ready now would mean an empty table while the
            // cluster holds one. (Two nodes started together are resolved by JGroups itself: the
            // lowest address becomes coordinator and the other keeps trying to join it.)
            LOG.warn("sync {}: came up alone although {} cluster member(s) answer discovery; joining again ({}/{})",
                    config.channelName(), others, round, JOIN_ROUNDS);
            startOver();
        }
        if (lastError != null) {
            LOG.error("sync {}: could not join with state after {} rounds: {}", config.channelName(), JOIN_ROUNDS, lastError.toString());
            ready.completeExceptionally(lastError);
            return;
        }
        View v = channel.getView();
        synchronized (holdLock) {
            for (byte[] b : held) {
                applier.apply(b, 0, b.length, nowMicros());
            }
            held = null;
        }
        LOG.info("sync {}: ready with {} connections after {} ms (members {})", config.channelName(), store.size(),
                (System.nanoTime() - t0) / 1_000_000, v == null ? "?" : v.getMembers());
        ready.complete(null);
        if (encrypt != null && encrypt.wrongKeyDrops() > 0) {
            checkRefused();
        }
    }

    /**
     * Counts a message refused by the encryption layer. If this node is alone in its view while such
     * messages arrive, the cluster it tried to join uses another key: this node was refused.
     */
    private void wrongKeySeen() {
        metrics.reject(SyncRejection.WRONG_KEY);
        checkRefused();
    }

    private void checkRefused() {
        View v = view;
        if (!refusedByCluster && v != null && v.size() == 1 && ready.isDone()) {
            refusedByCluster = true;
            LOG.error("sync {}: alone, and hearing members that use another key: this node's key ({}) was refused",
                    config.channelName(), key.fingerprint());
        }
    }

    /** Leaves the channel and forgets everything received, then waits a random part of a join timeout (breaks symmetric retries). */
    private void startOver() {
        try {
            channel.disconnect();
        } catch (RuntimeException e) {
            LOG.debug("disconnect failed", e);
        }
        stateFailure = null;
        synchronized (holdLock) {
            held.clear();
            holdOverflowed = false;
        }
        store.clear();
        try {
            // random, so that two nodes started together do not keep meeting each other half-way
            long t = Math.max(2, config.joinTimeout().toMillis());
            Thread.sleep(java.util.concurrent.ThreadLocalRandom.current().nextLong(t / 4, 2 * t));
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
        }
    }

    private int othersAnsweringDiscovery() {
        try {
            org.jgroups.protocols.Discovery d = channel.getProtocolStack().findProtocol(org.jgroups.protocols.Discovery.class);
            if (d == null) {
                return 0;
            }
            org.jgroups.util.Responses rsps = d.findMembers(null, true, false, config.joinTimeout().toMillis());
            rsps.waitFor(config.joinTimeout().toMillis());
            int n = 0;
            for (org.jgroups.protocols.PingData p : rsps) {
                // only members that already are in a cluster ("servers"): a node that is itself still
                // joining is no reason to leave, or two nodes started together would chase each other
                if (!p.getAddress().equals(channel.getAddress()) && (p.isServer() || p.isCoord())) {
                    n++;
                }
            }
            return n;
        } catch (RuntimeException e) {
            return 0;
        }
    }

    static long nowMicros() {
        Instant i = Instant.now();
        return i.getEpochSecond() * 1_000_000L + i.getNano() / 1000;
    }

    // ------------------------------------------------------------ publishing

    /** Records an event about a connection this node forwards: applies it locally and replicates it. */
    public void publish(ConnectionEventKind kind, ConnectionEntry e) {
        if (kind == ConnectionEventKind.EXPIRED) {
            store.remove(e);
        } else {
            e.remainingSeconds = e.timeoutSeconds;
            if (store.upsert(e) == ReplicaStore.Upsert.REFUSED_FULL) {
                metrics.reject(SyncRejection.STORE_FULL);
            }
        }
        metrics.eventsPublished.increment();
        batcher.append(kind, e);
    }

    public void connectionCreated(ConnectionEntry e) {
        publish(ConnectionEventKind.CREATED, e);
    }

    public void connectionChanged(ConnectionEntry e) {
        publish(ConnectionEventKind.CHANGED, e);
    }

    public void connectionExpired(ConnectionEntry e) {
        publish(ConnectionEventKind.EXPIRED, e);
    }

    /** Registers the listener told about events applied from other members (one at a time; null removes it). */
    public void onRemoteEvents(ConnectionEventListener listener) {
        applier.listener(listener);
    }

    /**
     * Sends this node's whole table to the group (after a merge); returns how many entries. Runs on a
     * thread of its own with its own batcher, so it may wait for room in the send queue (a table is
     * thousands of batches) without ever making the data plane wait.
     */
    int republishAfterMerge() {
        ReplicaStore.Snapshot snapshot = store.snapshot();
        boolean[] stalled = {false};
        long waitNanos = MERGE_QUEUE_WAIT.toNanos();
        EventBatcher.Sink waiting = b -> {
            if (stalled[0]) {
                sender.offer(b); // the queue stayed full for the whole wait: the peer is not taking messages, stop waiting
                return;
            }
            try {
                stalled[0] = !sender.offer(b, waitNanos);
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
                stalled[0] = true;
            }
        };
        EventBatcher own = new EventBatcher(config.syncId(), config.batchBytes(), Long.MAX_VALUE,
                key == null ? null : key.newMac(), System::nanoTime, ConnectionReplicator::nowMicros, waiting);
        int[] n = {0};
        snapshot.forEach(new ConnectionEntry(), e -> {
            own.append(ConnectionEventKind.CHANGED, e);
            n[0]++;
        });
        own.flush();
        metrics.entriesRepublished.add(n[0]);
        LOG.info("sync {}: views merged; re-sent {} connections", config.channelName(), n[0]);
        return n[0];
    }

    /**
     * Hands the pending batch to the sender now (e.g. before a planned switchover). Never blocks: the
     * batch is queued (or, if the queue is full because a peer is not taking messages, dropped and
     * counted). Use {@link #flush(Duration)} to wait for it to go out.
     */
    public void flush() {
        batcher.flush();
    }

    /**
     * {@link #flush()}, then waits until everything queued so far has been handed to the channel, at
     * most {@code timeout}. True when it was; false when a peer's flow control held it back that
     * long (a silent or cut-off peer) — the events stay queued and go out when it recovers or leaves.
     */
    public boolean flush(Duration timeout) {
        batcher.flush();
        return sender.drain(timeout.toNanos());
    }

    /** Batches queued for sending (a growing backlog means a peer is not taking messages). */
    public int sendBacklog() {
        return sender.backlog();
    }

    /** Capacity of the send queue in batches; beyond it batches are dropped rather than block the publisher. */
    public int sendQueueCapacity() {
        return sender.capacity();
    }

    private void send(byte[] batch) throws Exception {
        channel.send(new BytesMessage(null, batch));
    }

    // ------------------------------------------------------------ state

    /** Completes when this node holds the cluster's table (state transfer done, or it is the first member). */
    public CompletableFuture<Void> ready() {
        return ready;
    }

    public boolean isReady() {
        return ready.isDone() && !ready.isCompletedExceptionally();
    }

    /** True when the join ended alone while members with another key were heard: this node's key was refused. */
    public boolean refusedByCluster() {
        return refusedByCluster;
    }

    public ReplicaStore store() {
        return store;
    }

    public SyncMetrics metrics() {
        return metrics;
    }

    public SyncConfig config() {
        return config;
    }

    /** Current members, as JGroups names them. */
    public List<Address> members() {
        View v = view;
        return v == null ? List.of() : v.getMembers();
    }

    public boolean isCoordinator() {
        View v = view;
        return v != null && v.getCoord().equals(channel.getAddress());
    }

    public String address() {
        return String.valueOf(channel.getAddress());
    }

    /**
     * Stops: delivers what is pending if the peers take it within {@link #CLOSE_DRAIN}, then leaves
     * the channel. A silent peer costs at most that bound, never its failure-detection timeout.
     */
    @Override
    public void close() {
        timer.shutdownNow();
        try {
            if (!flush(CLOSE_DRAIN)) {
                LOG.warn("sync {}: {} batch(es) still unsent after {} ms at stop (a peer is not taking messages); dropping them",
                        config.channelName(), sender.backlog(), CLOSE_DRAIN.toMillis());
            }
        } finally {
            // close first: flow control ignores interrupts, but stopping the channel releases a blocked send
            channel.close();
            sender.stop(CLOSE_DRAIN.toNanos());
        }
    }

    /** Runs until {@code timeout} for the ready gate; true when ready. */
    public boolean awaitReady(Duration timeout) {
        try {
            ready.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    private final class ChannelReceiver implements Receiver {
        @Override
        public void receive(Message msg) {
            byte[] a = msg.getArray();
            int off = msg.getOffset();
            int len = msg.getLength();
            if (a == null) {
                metrics.reject(SyncRejection.TRUNCATED);
                return;
            }
            metrics.batchesReceived.increment();
            metrics.bytesReceived.add(len);
            synchronized (holdLock) {
                if (held != null) {
                    if (held.size() < HOLD_LIMIT) {
                        held.add(java.util.Arrays.copyOfRange(a, off, off + len));
                    } else {
                        metrics.reject(SyncRejection.HOLD_QUEUE_OVERFLOW);
                        holdOverflowed = true;
                    }
                    return;
                }
            }
            applier.apply(a, off, len, nowMicros());
        }

        @Override
        public void viewAccepted(View v) {
            View previous = view;
            view = v;
            if (v instanceof org.jgroups.MergeView && previous != null && isReady()) {
                // A partition healed (e.g. the master's sync link came back). JGroups merges views
                // but transfers no state, so each side sends what it holds and the other side
                // catches up on what it missed.
                Thread t = new Thread(ConnectionReplicator.this::republishAfterMerge, "lvsha-sync-merge-" + config.syncId());
                t.setDaemon(true);
                t.start();
            }
            if (v.size() > 1) {
                refusedByCluster = false;
            }
            LOG.info("sync {}: view {}", config.channelName(), v);
        }

        @Override
        public void getState(OutputStream out) throws Exception {
            ReplicaStore.Snapshot snapshot = store.snapshot();
            metrics.stateTransfersServed.increment();
            long t0 = System.nanoTime();
            StateStream.write(snapshot, config.syncId(), key, out);
            LOG.info("sync {}: sent state of {} connections in {} ms", config.channelName(), snapshot.size(),
                    (System.nanoTime() - t0) / 1_000_000);
        }

        @Override
        public void setState(InputStream in) throws Exception {
            long t0 = System.nanoTime();
            try {
                int n = StateStream.read(in, config.syncId(), key, store);
                metrics.stateEntriesReceived.add(n);
                metrics.lastStateTransferMillis = (System.nanoTime() - t0) / 1_000_000;
            } catch (Exception e) {
                metrics.reject(SyncRejection.BAD_STATE);
                stateFailure = e;
                throw e;
            }
        }
    }
}
