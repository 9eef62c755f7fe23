package org.lvsha.sync.replication;

import java.nio.ByteBuffer;
import java.util.function.LongSupplier;
import javax.crypto.Mac;
import org.lvsha.sync.store.ConnectionEntry;

/**
 * Accumulates connection events into one batch message and hands it to a sink when it reaches the
 * configured size or when its oldest event has waited the flush interval. Small messages collapse
 * JGroups throughput (flow-control credits versus bundler queue, see the dependencies note), so a
 * batch carries up to ~180 IPv4 events in 8 KB; the interval bounds the lag at low rates.
 *
 * <p>The sink must not block: the caller is a packet worker of the data plane, and this lock is
 * held. In the replicator it is {@link BatchSender#offer(byte[])}, which queues or drops.
 */
final class EventBatcher {
    /** Applies a finished batch (header and records, {@code len} bytes) to this node's own replica. */
    interface Local {
        void apply(byte[] batch, int len);
    }

    /** Where finished batches go (the send queue, or a test); must return at once. */
    interface Sink {
        void send(byte[] batch);
    }

    private final int syncId;
    private final int batchBytes;
    private final long flushIntervalNanos;
    private final Mac mac;
    /** Bytes left at the end of each batch for the authentication code that the sink fills in. */
    private final int trailer;
    private final LongSupplier nanoClock;
    private final LongSupplier microsClock;
    private final Sink sink;
    private final ByteBuffer buf;
    private Local local;
    private int count;
    private long baseMicros;
    private long firstNanos;

    EventBatcher(int syncId, int batchBytes, long flushIntervalNanos, Mac mac, LongSupplier nanoClock,
                 LongSupplier microsClock, Sink sink) {
        this(syncId, batchBytes, flushIntervalNanos, mac, 0, nanoClock, microsClock, sink);
    }

    /**
     * A batcher whose batches end in a zeroed {@link ConnectionEventCodec#BATCH_MAC authentication
     * trailer} that the sink fills in ({@link ConnectionEventCodec#seal}) — on the sender thread, so
     * that the HMAC (~20 µs per 8 KB batch) is not computed on the publisher's thread under this lock.
     */
    static EventBatcher sealedBySink(int syncId, int batchBytes, long flushIntervalNanos, LongSupplier nanoClock,
                                     LongSupplier microsClock, Sink sink) {
        return new EventBatcher(syncId, batchBytes, flushIntervalNanos, null, ConnectionEventCodec.BATCH_MAC, nanoClock,
                microsClock, sink);
    }

    private EventBatcher(int syncId, int batchBytes, long flushIntervalNanos, Mac mac, int trailer, LongSupplier nanoClock,
                         LongSupplier microsClock, Sink sink) {
        this.trailer = trailer;
        this.syncId = syncId;
        this.batchBytes = batchBytes;
        this.flushIntervalNanos = flushIntervalNanos;
        this.mac = mac;
        this.nanoClock = nanoClock;
        this.microsClock = microsClock;
        this.sink = sink;
        this.buf = ByteBuffer.allocate(batchBytes + ConnectionEventCodec.V6_RECORD + ConnectionEventCodec.BATCH_MAC);
    }

    /**
     * Applies every batch to this node's own store when it is finished, before it is handed on: the
     * publisher then pays for the store's cache misses once per batch, overlapped, instead of one
     * dependent miss per event (see {@link BatchApplier#applyOwn}).
     */
    synchronized EventBatcher applyingLocally(Local l) {
        this.local = l;
        return this;
    }

    synchronized void append(ConnectionEventKind kind, ConnectionEntry e) {
        long now = microsClock.getAsLong();
        if (count == 0) {
            baseMicros = now;
            firstNanos = nanoClock.getAsLong();
            buf.clear().position(ConnectionEventCodec.HEADER);
        }
        ConnectionEventCodec.writeRecord(buf, kind, e, (int) Math.min(Integer.MAX_VALUE, Math.max(0, now - baseMicros)));
        count++;
        if (buf.position() + ConnectionEventCodec.V6_RECORD > batchBytes || count == 0xffff) {
            flush();
        }
    }

    /** Sends the pending batch if its first event has waited at least the flush interval. */
    synchronized void flushIfDue() {
        if (count > 0 && nanoClock.getAsLong() - firstNanos >= flushIntervalNanos) {
            flush();
        }
    }

    synchronized void flush() {
        if (count == 0) {
            return;
        }
        int len = buf.position();
        ConnectionEventCodec.writeHeader(buf.duplicate().position(0), ConnectionEventCodec.TYPE_BATCH, syncId, count, baseMicros);
        if (local != null) {
            local.apply(buf.array(), len);
        }
        int macLen = mac == null ? trailer : ConnectionEventCodec.BATCH_MAC;
        byte[] out = new byte[len + macLen];
        System.arraycopy(buf.array(), 0, out, 0, len);
        if (mac != null) {
            mac.update(out, 0, len);
            System.arraycopy(mac.doFinal(), 0, out, len, macLen);
        }
        count = 0;
        buf.clear();
        sink.send(out);
    }

    synchronized int pendingEvents() {
        return count;
    }
}
