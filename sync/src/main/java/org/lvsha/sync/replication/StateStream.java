package org.lvsha.sync.replication;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
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
 * The full table as a stream, for JGroups state transfer: a header, then chunks of up to 64 KB of
 * records ({@code u32 length} + records, never splitting a record), a zero length, the entry count,
 * and an HMAC-SHA256 over everything before it. The reader applies records as chunks arrive and, if
 * anything fails to verify, clears the store and throws: a node never becomes ready on a bad table.
 */
final class StateStream {
    static final int CHUNK = 64 * 1024;
    private static final int MAC_LEN = 32;
    /** Records whose slots are prefetched together (~100 × 3 cache lines stays in L2). */
    private static final int PREFETCH_GROUP = 96;
    /** Keeps the prefetching loads from being optimised away. */
    static volatile long prefetchSink;

    private StateStream() {
    }

    static void write(ReplicaStore.Snapshot snapshot, int syncId, SharedKey key, OutputStream out) throws IOException {
        Mac mac = key == null ? null : key.newMac();
        DataOutputStream dos = new DataOutputStream(new BufferedOutputStream(out, CHUNK + 8));
        ByteBuffer header = ByteBuffer.allocate(ConnectionEventCodec.HEADER);
        // in a state stream the header's time field carries the number of entries that follow, so the joiner can size its table once
        ConnectionEventCodec.writeHeader(header, ConnectionEventCodec.TYPE_STATE, syncId, 0, snapshot.size());
        dos.write(header.array());
        update(mac, header.array(), header.array().length);
        ByteBuffer chunk = ByteBuffer.allocate(CHUNK);
        int[] count = {0};
        try {
            snapshot.forEach(new ConnectionEntry(), e -> {
                if (chunk.remaining() < ConnectionEventCodec.V6_RECORD) {
                    writeChunk(dos, chunk, mac);
                }
                ConnectionEventCodec.writeRecord(chunk, ConnectionEventKind.CREATED, e, 0);
                count[0]++;
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        writeChunk(dos, chunk, mac);
        dos.writeInt(0);
        byte[] tail = ByteBuffer.allocate(8).putInt(0).putInt(count[0]).array();
        update(mac, tail, 8);
        dos.writeInt(count[0]);
        if (mac != null) {
            dos.write(mac.doFinal());
        }
        dos.flush();
    }

    private static void writeChunk(DataOutputStream dos, ByteBuffer chunk, Mac mac) {
        if (chunk.position() == 0) {
            return;
        }
        try {
            byte[] len = ByteBuffer.allocate(4).putInt(chunk.position()).array();
            update(mac, len, 4);
            update(mac, chunk.array(), chunk.position());
            dos.write(len);
            dos.write(chunk.array(), 0, chunk.position());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        chunk.clear();
    }

    private static void update(Mac mac, byte[] b, int len) {
        if (mac != null) {
            mac.update(b, 0, len);
        }
    }

    /**
     * Applies one chunk's records: per group of {@link #PREFETCH_GROUP}, validates them and starts their
     * store lookups (the misses overlap), then inserts them. A method of its own, called once per chunk,
     * so that a joining node's fresh JVM compiles it normally instead of running the stream's whole
     * loop through on-stack replacement (seen: repeated OSR deoptimisations, reads of 0.5-3 s).
     */
    private static int applyChunk(ByteBuffer cb, int len, ReplicaStore store, ConnectionEntry e) throws IOException {
        int count = 0;
        long touched = 0;
        int p = 0;
        while (p < len) {
            int q = p;
            for (int k = 0; k < PREFETCH_GROUP && q < len; k++) {
                int rl = ConnectionEventCodec.validRecordLength(cb, q, len);
                if (rl < 0) {
                    throw new IOException("bad record at " + q + " of a chunk");
                }
                ConnectionEventCodec.readRecord(cb, q, e);
                touched += store.prefetch(e);
                q += rl;
            }
            while (p < q) {
                ConnectionEventCodec.readRecord(cb, p, e);
                store.upsert(e);
                count++;
                p += ConnectionEventCodec.recordLength(e.ipv6);
            }
        }
        prefetchSink = touched;
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
