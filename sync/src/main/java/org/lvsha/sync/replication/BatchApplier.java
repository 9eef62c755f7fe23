package org.lvsha.sync.replication;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import javax.crypto.Mac;
import org.lvsha.core.metrics.LatencyHistogram;
import org.lvsha.sync.store.ConnectionEntry;
import org.lvsha.sync.store.ReplicaStore;

/**
 * Verifies a received batch completely (header, sync id, authentication code, every record) and
 * only then applies it to the replica store, so a bad batch changes nothing. Rejections are counted
 * per reason; lag is recorded per event against the sender's event time.
 */
final class BatchApplier {
    private final int syncId;
    private final ReplicaStore store;
    private final SyncMetrics metrics;
    private final ThreadLocal<Mac> macs;
    private final ThreadLocal<ConnectionEntry> cursors = ThreadLocal.withInitial(ConnectionEntry::new);
    private volatile ConnectionEventListener listener;
    /** Keeps the prefetching loads from being optimised away. */
    long prefetchSink;
    /** For {@link #applyOwn}, which runs under the batcher's lock. */
    private final ConnectionEntry ownCursor = new ConnectionEntry();

    BatchApplier(int syncId, ReplicaStore store, SyncMetrics metrics, SharedKey key) {
        this.syncId = syncId;
        this.store = store;
        this.metrics = metrics;
        this.macs = key == null ? null : ThreadLocal.withInitial(key::newMac);
    }

    void listener(ConnectionEventListener l) {
        this.listener = l;
    }

    /** Applies the batch or counts why not; returns the rejection, or null when applied. */
    SyncRejection apply(byte[] a, int off, int len, long nowMicros) {
        int macLen = macs == null ? 0 : ConnectionEventCodec.BATCH_MAC;
        if (len < ConnectionEventCodec.HEADER + macLen) {
            return reject(SyncRejection.TRUNCATED);
        }
        ByteBuffer b = ByteBuffer.wrap(a, off, len).slice();
        if ((b.getShort(0) & 0xffff) != ConnectionEventCodec.MAGIC || b.get(3) != ConnectionEventCodec.TYPE_BATCH) {
            return reject(SyncRejection.BAD_MAGIC);
        }
        if (b.get(2) != ConnectionEventCodec.FORMAT) {
            return reject(SyncRejection.UNSUPPORTED_VERSION);
        }
        if ((b.get(4) & 0xff) != syncId) {
            return reject(SyncRejection.SYNC_ID_MISMATCH);
        }
        int end = len - macLen;
        if (macs != null) {
            Mac mac = macs.get();
            mac.update(a, off, end);
            byte[] full = mac.doFinal();
            byte[] got = new byte[macLen];
            System.arraycopy(a, off + end, got, 0, macLen);
            if (!MessageDigest.isEqual(java.util.Arrays.copyOf(full, macLen), got)) {
                return reject(SyncRejection.BAD_MAC);
            }
        }
        int count = b.getShort(6) & 0xffff;
        int p = ConnectionEventCodec.HEADER;
        int n = 0;
        ConnectionEntry e = cursors.get();
        long touched = 0;
        while (p < end) {
            int rl = ConnectionEventCodec.validRecordLength(b, p, end);
            if (rl < 0) {
                return reject(SyncRejection.BAD_RECORD);
            }
            // start every record's store lookup now: the misses overlap instead of queueing one by one below
            ConnectionEventCodec.readRecord(b, p, e);
            touched += store.prefetch(e);
            p += rl;
            n++;
        }
        prefetchSink = touched;
        if (n != count) {
            return reject(SyncRejection.COUNT_MISMATCH);
        }
        long base = b.getLong(8);
        p = ConnectionEventCodec.HEADER;
        int full = 0;
        LagWindow.Slot recent = metrics.lagSlot();
        long maxLag = 0;
        int runBucket = -1;
        long runLag = 0;
        int run = 0;
        for (int i = 0; i < count; i++) {
            ConnectionEventKind kind = ConnectionEventCodec.readRecord(b, p, e);
            long eventMicros = base + (ConnectionEventCodec.eventOffsetMicros(b, p) & 0xffffffffL);
            p += ConnectionEventCodec.recordLength(e.ipv6);
            if (kind == ConnectionEventKind.EXPIRED) {
                store.remove(e);
            } else if (store.upsert(e) == ReplicaStore.Upsert.REFUSED_FULL) {
                full++;
            }
            long lag = Math.max(0, nowMicros - eventMicros);
            maxLag = Math.max(maxLag, lag);
            // consecutive events mostly fall into one histogram bucket: count them as one run (fewer atomic adds)
            int bucket = LatencyHistogram.index(lag);
            if (bucket != runBucket) {
                if (run > 0) {
                    metrics.recordLagSamples(recent, runLag, run);
                }
                runBucket = bucket;
                runLag = lag;
                run = 0;
            }
            run++;
            ConnectionEventListener l = listener;
            if (l != null) {
                try {
                    l.onRemoteEvent(kind, e);
                } catch (RuntimeException ex) {
                    // a failing adapter must not stop replication; it counts its own errors
                }
            }
        }
        if (run > 0) {
            metrics.recordLagSamples(recent, runLag, run);
        }
        recent.atLeast(maxLag);
        ConnectionEventListener l = listener;
        if (l != null) {
            try {
                l.onBatchEnd();
            } catch (RuntimeException ex) {
                // as above
            }
        }
        if (full > 0) {
            metrics.reject(SyncRejection.STORE_FULL, full);
        }
        metrics.eventsApplied.add(count - full);
        return null;
    }

    /**
     * Applies a batch this node just made (so: no verification, no lag, no listener) to its own store:
     * first every record's lookup is started ({@link ReplicaStore#prefetch}), then the records are
     * applied in order. Called by the batcher under its lock.
     */
    void applyOwn(byte[] a, int len) {
        ByteBuffer b = ByteBuffer.wrap(a, 0, len);
        ConnectionEntry e = ownCursor;
        long touched = 0;
        for (int p = ConnectionEventCodec.HEADER; p < len; p += ConnectionEventCodec.recordLength(e.ipv6)) {
            ConnectionEventCodec.readRecord(b, p, e);
            touched += store.prefetch(e);
        }
        prefetchSink = touched;
        int full = 0;
        for (int p = ConnectionEventCodec.HEADER; p < len; p += ConnectionEventCodec.recordLength(e.ipv6)) {
            if (ConnectionEventCodec.readRecord(b, p, e) == ConnectionEventKind.EXPIRED) {
                store.remove(e);
            } else if (store.upsert(e) == ReplicaStore.Upsert.REFUSED_FULL) {
                full++;
            }
        }
        if (full > 0) {
            metrics.reject(SyncRejection.STORE_FULL, full);
        }
    }

    private SyncRejection reject(SyncRejection r) {
        metrics.reject(r);
        return r;
    }
}
