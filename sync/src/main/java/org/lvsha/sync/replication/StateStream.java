package org.lvsha.sync.replication;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import javax.crypto.Mac;
import org.lvsha.sync.store.ConnectionEntry;
import org.lvsha.sync.store.ReplicaStore;

/**
 * The full table as a stream, for JGroups state transfer: a header, then chunks of up to 64 KB (56 KB
 * as written) of records ({@code u32 length} + records, never splitting a record), a zero length, the entry count,
 * and an HMAC-SHA256 over everything before it. The reader applies records as chunks arrive and, if
 * anything fails to verify, clears the store and throws: a node never becomes ready on a bad table.
 */
final class StateStream {
    /** Largest chunk a reader accepts. */
    static final int CHUNK = 64 * 1024;
    /**
     * Records per chunk the writer sends. Each chunk is one {@code STATE} message; at 56 KB it stays under
     * FRAG4's fragment size ({@link SyncStackFactory#FRAG_SIZE}) with the JGroups and encryption headers,
     * so it travels as one datagram and the joiner does not reassemble (copy) it from two.
     */
    static final int SEND_CHUNK = 56 * 1024;
    private static final int MAC_LEN = 32;
    /** Records whose slots are prefetched together (~100 × 3 cache lines stays in L2). */
    private static final int PREFETCH_GROUP = 96;
    /** Keeps the prefetching loads from being optimised away. */
    static volatile long prefetchSink;

    private StateStream() {
    }

    static void write(ReplicaStore.Snapshot snapshot, int syncId, SharedKey key, OutputStream out) throws IOException {
        write(snapshot, syncId, key, out, SEND_CHUNK);
    }

    /**
     * Writes the stream with chunks of at most {@code chunkBytes} of records, each chunk (with its length)
     * in one {@code write} call: JGroups {@code STATE} sends every write as one message, so a chunk is one
     * message and, when it fits in a fragment, one datagram.
     */
    static void write(ReplicaStore.Snapshot snapshot, int syncId, SharedKey key, OutputStream out, int chunkBytes) throws IOException {
        if (chunkBytes < ConnectionEventCodec.V6_RECORD || chunkBytes > CHUNK) {
            throw new IllegalArgumentException("chunk of " + chunkBytes + " bytes");
        }
        Mac mac = key == null ? null : key.newMac();
        ByteBuffer header = ByteBuffer.allocate(ConnectionEventCodec.HEADER);
        // in a state stream the header's time field carries the number of entries that follow, so the joiner can size its table once
        ConnectionEventCodec.writeHeader(header, ConnectionEventCodec.TYPE_STATE, syncId, 0, snapshot.size());
        out.write(header.array());
        update(mac, header.array(), header.array().length);
        // u32 length, then the records: the length is filled in when the chunk is sent
        ByteBuffer chunk = ByteBuffer.allocate(4 + chunkBytes);
        chunk.position(4);
        int[] count = {0};
        try {
            snapshot.forEach(new ConnectionEntry(), e -> {
                if (chunk.remaining() < ConnectionEventCodec.V6_RECORD) {
                    writeChunk(out, chunk, mac);
                }
                ConnectionEventCodec.writeRecord(chunk, ConnectionEventKind.CREATED, e, 0);
                count[0]++;
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        writeChunk(out, chunk, mac);
        ByteBuffer tail = ByteBuffer.allocate(8 + MAC_LEN).putInt(0).putInt(count[0]);
        update(mac, tail.array(), 8);
        if (mac != null) {
            tail.put(mac.doFinal());
        }
        out.write(tail.array(), 0, tail.position());
        out.flush();
    }

    private static void writeChunk(OutputStream out, ByteBuffer chunk, Mac mac) {
        int len = chunk.position() - 4;
        if (len == 0) {
            return;
        }
        chunk.putInt(0, len);
        update(mac, chunk.array(), chunk.position());
        try {
            out.write(chunk.array(), 0, chunk.position());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        chunk.position(4);
    }

    private static void update(Mac mac, byte[] b, int len) {
        if (mac != null) {
            mac.update(b, 0, len);
        }
    }

    /**
     * Applies one chunk's records: per group of {@link #PREFETCH_GROUP}, validates them and starts their
     * store lookups (the misses overlap), then inserts them. Called once per chunk, and the groups are
     * methods of their own too, so that a joining node's fresh JVM compiles three small methods normally
     * instead of compiling one large loop twice, by on-stack replacement and again (seen: 0.4 s of C2 time
     * on a 2-core joiner while the stream ran; earlier, the whole stream loop in one method: repeated OSR
     * deoptimisations, reads of 0.5-3 s).
     */
    private static int applyChunk(ByteBuffer cb, int len, ReplicaStore store, ConnectionEntry e) throws IOException {
        int count = 0;
        int p = 0;
        while (p < len) {
            int q = prefetchGroup(cb, p, len, store, e);
            count += applyGroup(cb, p, q, store, e);
            p = q;
        }
        return count;
    }

    /** Validates up to {@link #PREFETCH_GROUP} records from {@code p} and starts their lookups; returns where they end. */
    private static int prefetchGroup(ByteBuffer cb, int p, int len, ReplicaStore store, ConnectionEntry e) throws IOException {
        long touched = 0;
        for (int k = 0; k < PREFETCH_GROUP && p < len; k++) {
            int rl = ConnectionEventCodec.validRecordLength(cb, p, len);
            if (rl < 0) {
                throw new IOException("bad record at " + p + " of a chunk");
            }
            ConnectionEventCodec.readKey(cb, p, e);
            touched += store.prefetch(e);
            p += rl;
        }
        prefetchSink = touched;
        return p;
    }

    /** Inserts the (validated) records between {@code p} and {@code end}. */
    private static int applyGroup(ByteBuffer cb, int p, int end, ReplicaStore store, ConnectionEntry e) {
        int count = 0;
        while (p < end) {
            ConnectionEventCodec.readRecord(cb, p, e);
            store.upsert(e);
            count++;
            p += ConnectionEventCodec.recordLength(e.ipv6);
        }
        return count;
    }

    /** Applies a state stream to {@code store}; returns the number of entries. Throws (store cleared) if it does not verify. */
    static int read(InputStream in, int syncId, SharedKey key, ReplicaStore store) throws IOException {
        try {
            return readChecked(in, syncId, key, store);
        } catch (IOException | RuntimeException e) {
            store.clear();
            throw e instanceof IOException io ? io : new IOException("state stream rejected: " + e.getMessage(), e);
        }
    }

    private static int readChecked(InputStream in, int syncId, SharedKey key, ReplicaStore store) throws IOException {
        Mac mac = key == null ? null : key.newMac();
        DataInputStream dis = new DataInputStream(new BufferedInputStream(in, CHUNK + 8));
        byte[] header = new byte[ConnectionEventCodec.HEADER];
        dis.readFully(header);
        ByteBuffer h = ByteBuffer.wrap(header);
        if ((h.getShort(0) & 0xffff) != ConnectionEventCodec.MAGIC || h.get(2) != ConnectionEventCodec.FORMAT
                || h.get(3) != ConnectionEventCodec.TYPE_STATE) {
            throw new IOException("not an lvsha state stream");
        }
        if ((h.get(4) & 0xff) != syncId) {
            throw new IOException("state stream of sync id " + (h.get(4) & 0xff) + ", ours is " + syncId);
        }
        update(mac, header, header.length);
        long expected = h.getLong(8);
        if (expected > 0 && expected <= store.maxEntries()) {
            store.reserve((int) expected);
        }
        byte[] chunk = new byte[CHUNK];
        ByteBuffer cb = ByteBuffer.wrap(chunk);
        ConnectionEntry e = new ConnectionEntry();
        int count = 0;
        while (true) {
            int len = dis.readInt();
            byte[] lenBytes = ByteBuffer.allocate(4).putInt(len).array();
            update(mac, lenBytes, 4);
            if (len == 0) {
                break;
            }
            if (len < 0 || len > CHUNK) {
                throw new IOException("bad chunk length " + len);
            }
            dis.readFully(chunk, 0, len);
            update(mac, chunk, len);
            count += applyChunk(cb, len, store, e);
        }
        int declared = dis.readInt();
        byte[] countBytes = ByteBuffer.allocate(4).putInt(declared).array();
        update(mac, countBytes, 4);
        if (declared != count) {
            throw new IOException("state stream declares " + declared + " entries, carried " + count);
        }
        if (mac != null) {
            byte[] got = new byte[MAC_LEN];
            dis.readFully(got);
            if (!MessageDigest.isEqual(mac.doFinal(), got)) {
                throw new IOException("state stream authentication failed");
            }
        }
        return count;
    }
}
