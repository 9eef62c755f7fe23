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
 *
 * <p>A node that ends its join alone while the members on the segment use another key never becomes
 * ready: {@link #ready()} fails with {@link SyncKeyRefusedException} and {@link #refusedByCluster()} is
 * true. The evidence is the key fingerprint each member carries in its name (seen in discovery, which
 * is in clear) or messages the encryption layer refused. Nobody answering discovery: the first node
 * up, ready alone.
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
    /** When ready completed with this node alone in its view (0: not so). */
    private volatile long readyAloneAtNanos;
    /** A multicast from members with another key was refused (the traffic of such a group). */
    private volatile boolean groupWrongKey;
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
        channel.name(logicalName(key));
        this.sender = new BatchSender(config.channelName(), SEND_QUEUE_BATCHES, key == null ? null : key.newMac(), this::send, metrics);
        this.applier = new BatchApplier(config.syncId(), store, metrics, key);
        this.batcher = newBatcher(config.flushInterval().toNanos(), sender::offer).applyingLocally(applier::applyOwn);
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
            if (joined.size() > 1) {
                break;
            }
            Discovered found = discoverOthers();
            String refusal = refusalEvidence(found);
            if (refusal != null) {
                refuse(refusal);
                return;
            }
            if (found.servers() == 0 || round == JOIN_ROUNDS) {
                break; // first node up (nobody answers), or the last round: ready alone
            }
            // Typically a node restarted before the others noticed its previous incarnation died:
            // the survivor still named the dead node coordinator, nobody accepted the JOIN, and
            // JGroups made us a singleton. Becoming ready now would mean an empty table while the
            // cluster holds one. (Two nodes started together are resolved by JGroups itself: the
            // lowest address becomes coordinator and the other keeps trying to join it.)
            LOG.warn("sync {}: came up alone although {} cluster member(s) answer discovery; joining again ({}/{})",
                    config.channelName(), found.servers(), round, JOIN_ROUNDS);
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
        if (v == null || v.size() == 1) {
            readyAloneAtNanos = System.nanoTime();
        }
        ready.complete(null);
        if (groupWrongKey) {
            checkRefused(); // heard between the gate's check and now
        }
    }

    /**
     * Counts a message refused by the encryption layer. The readiness gate ({@link #refusalEvidence})
     * uses such refusals heard while joining; this catches the ones that arrive just after a lone
     * node became ready.
     */
    private void wrongKeySeen(Message refused) {
        metrics.reject(SyncRejection.WRONG_KEY);
        if (refused.getDest() == null) {
            groupWrongKey = true;
            // multicast: the traffic of a group that uses another key. (A lone wrong-key joiner only
            // sends unicast JOIN requests to our coordinator: that is no evidence against this node.)
            checkRefused();
        }
    }

    /**
     * A node that became ready alone and hears the multicast traffic of members with another key within
     * {@link #lateEvidenceNanos} was refused by a cluster it could not see in time (e.g. one whose
     * members' names carry no key fingerprint). Later, the same traffic means another node came up
     * beside this one with a wrong key: that node is the refused one (it fails its own gate), and this
     * one keeps serving; the encryption layer logs the refusals.
     */
    private void checkRefused() {
        View v = view;
        long aloneSince = readyAloneAtNanos;
        if (!refusedByCluster && v != null && v.size() == 1 && isReady() && aloneSince != 0
                && System.nanoTime() - aloneSince < lateEvidenceNanos()) {
            refusedByCluster = true;
            LOG.error("sync {}: ready alone, then heard members that use another key: this node's key ({}) was refused",
                    config.channelName(), key.fingerprint());
        }
    }

    /** How long after becoming ready alone a wrong-key message still counts as evidence against this node. */
    private long lateEvidenceNanos() {
        return Math.max(2_000_000_000L, 2 * config.joinTimeout().toNanos());
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

    /** Members of a cluster answering discovery, and which of them announce another key's fingerprint. */
    record Discovered(int servers, List<String> otherKey) {
    }

    private Discovered discoverOthers() {
        try {
            org.jgroups.protocols.Discovery d = channel.getProtocolStack().findProtocol(org.jgroups.protocols.Discovery.class);
            if (d == null) {
                return new Discovered(0, List.of());
            }
            org.jgroups.util.Responses rsps = d.findMembers(null, true, false, config.joinTimeout().toMillis());
            rsps.waitFor(config.joinTimeout().toMillis());
            int n = 0;
            List<String> otherKey = new java.util.ArrayList<>();
            for (org.jgroups.protocols.PingData p : rsps) {
                // only members that already are in a cluster ("servers"): a node that is itself still
                // joining is no reason to leave, or two nodes started together would chase each other
                if (!p.getAddress().equals(channel.getAddress()) && (p.isServer() || p.isCoord())) {
                    n++;
                    String theirs = keyTag(p.getLogicalName());
                    if (key != null && theirs != null && !theirs.equals(key.fingerprint())) {
                        otherKey.add(p.getLogicalName());
                    }
                }
            }
            return new Discovered(n, otherKey);
        } catch (RuntimeException e) {
            return new Discovered(0, List.of());
        }
    }

    /**
     * Why this lone node must not become ready, or null. Two kinds of evidence that the cluster on
     * this segment uses another key: members answering discovery (which travels in clear) announce
     * another key fingerprint in their names — deterministic, even when that cluster is idle — or the
     * encryption layer already refused messages from them (it hears their traffic, not their names).
     */
    private String refusalEvidence(Discovered found) {
        if (encrypt == null) {
            return null;
        }
        if (!found.otherKey().isEmpty()) {
            return found.otherKey().size() + " cluster member(s) on this segment use another key: " + found.otherKey()
                    + " (name~fingerprint)";
        }
        long drops = encrypt.wrongKeyDrops();
        if (drops > 0) {
            return drops + " message(s) from members of this channel were encrypted with another key";
        }
        return null;
    }

    /** Fails the readiness gate for good: refused, and leaves the channel so as not to disturb the cluster. */
    private void refuse(String evidence) {
        refusedByCluster = true;
        String msg = "sync " + config.channelName() + ": refused by the cluster on this segment — " + evidence
                + "; this node's key fingerprint is " + key.fingerprint() + ". Not ready: alone, this node would serve"
                + " an empty connection table beside the cluster's. Give it the cluster's key file.";
        LOG.error(msg);
        try {
            channel.disconnect();
        } catch (RuntimeException e) {
            LOG.debug("disconnect failed", e);
        }
        ready.completeExceptionally(new SyncKeyRefusedException(msg));
    }

    /**
     * The channel's logical name carries the key's public fingerprint ({@code host-1234~1a2b3c4d}),
     * so a joiner can tell from discovery alone that the members it sees use another key. The
     * fingerprint is a derived, public identifier (it is also logged); an observer learns nothing an
     * encrypted message would not already let them test a guessed key against.
     */
    static String logicalName(SharedKey key) {
        String base = org.jgroups.util.Util.generateLocalName();
        return key == null ? base : base + "~" + key.fingerprint();
    }

    /** The fingerprint in a member's logical name, or null (no key, or a version without the tag). */
    static String keyTag(String logicalName) {
        if (logicalName == null) {
            return null;
        }
        int i = logicalName.lastIndexOf('~');
        String tag = i < 0 ? null : logicalName.substring(i + 1);
        return tag != null && tag.matches("[0-9a-f]{8}") ? tag : null;
    }

    /** A batcher for the sender: with a key, the sender thread seals (authenticates) the batches. */
    private EventBatcher newBatcher(long flushIntervalNanos, EventBatcher.Sink sink) {
        return key == null
                ? new EventBatcher(config.syncId(), config.batchBytes(), flushIntervalNanos, null, System::nanoTime,
                        ConnectionReplicator::nowMicros, sink)
                : EventBatcher.sealedBySink(config.syncId(), config.batchBytes(), flushIntervalNanos, System::nanoTime,
                        ConnectionReplicator::nowMicros, sink);
    }

    static long nowMicros() {
        Instant i = Instant.now();
        return i.getEpochSecond() * 1_000_000L + i.getNano() / 1000;
    }

    // ------------------------------------------------------------ publishing

    /**
     * Records an event about a connection this node forwards: replicates it and applies it to this
     * node's own {@link #store()}. Never blocks. The event reaches the own store when its batch is
     * finished (full, {@link SyncConfig#flushInterval()} old, or {@link #flush() flushed}), applied
     * with the batch's other events: a lookup in a large table is a cache miss, and a batch's misses
     * overlap where one per event would each stall the publishing packet worker.
     */
    public void publish(ConnectionEventKind kind, ConnectionEntry e) {
        if (kind != ConnectionEventKind.EXPIRED) {
            e.remainingSeconds = e.timeoutSeconds;
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
        EventBatcher own = newBatcher(Long.MAX_VALUE, waiting);
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

    /**
     * True when this node's key was refused: the readiness gate found members with another key while
     * joining alone (then {@link #ready()} failed with {@link SyncKeyRefusedException}), or such members
     * were heard just after it became ready alone.
     */
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

    /** JGroups' own statistics of the named protocols (e.g. "UNICAST3", "UFC"), for diagnosis and benchmarks. */
    public String protocolStats(String... protocols) {
        StringBuilder b = new StringBuilder();
        for (String p : protocols) {
            b.append(channel.dumpStats(p)).append(' ');
        }
        return b.toString().trim();
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
