package org.lvsha.sync.store;

import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * The replicated connection table: a compact, bounded, fixed-layout store keyed by the connection
 * 5-tuple (family, protocol, caddr, cport, vaddr, vport). Entries live in primitive arrays — 40 bytes
 * per IPv4 slot, 80 per IPv6 slot, between 64 % and 80 % full once grown, so 50–63 bytes per IPv4
 * connection — and expire by their timeout.
 *
 * <p>Bounded: at most {@code maxEntries} connections. An insert into a full store first expires what
 * is due; if it is still full the insert is refused and counted ({@link #refusedFull()}); the data
 * plane keeps working, only the replica misses that connection.
 *
 * <p>Time is seconds on an injected millisecond clock, so tests drive expiry without sleeping.
 * All methods are synchronized: one lock, short critical sections, no allocation on upsert/remove.
 */
public final class ReplicaStore {
    /** What an upsert did. */
    public enum Upsert { INSERTED, UPDATED, REFUSED_FULL }

    private static final long MARK = 1L;
    private static final int V4_WIDTH = 5;
    private static final int V6_WIDTH = 10;

    private final int maxEntries;
    private final LongSupplier clockMillis;
    private final long epochMillis;
    private final SlotTable v4;
    private final SlotTable v6;
    private final long[] scratch4 = new long[V4_WIDTH];
    private final long[] scratch6 = new long[V6_WIDTH];
    private int sweepCursor4;
    private int sweepCursor6;
    private int lastFullSweep = -1;
    private long inserted;
    private long updated;
    private long removed;
    private long expired;
    private long refusedFull;

    public ReplicaStore(int maxEntries, LongSupplier clockMillis) {
        if (maxEntries < 1) {
            throw new IllegalArgumentException("maxEntries must be positive");
        }
        this.maxEntries = maxEntries;
        this.clockMillis = clockMillis;
        this.epochMillis = clockMillis.getAsLong();
        this.v4 = new SlotTable(V4_WIDTH, 2, maxEntries);
        this.v6 = new SlotTable(V6_WIDTH, 5, maxEntries);
    }

    public ReplicaStore(int maxEntries) {
        this(maxEntries, System::currentTimeMillis);
    }

    private int nowSeconds() {
        return (int) ((clockMillis.getAsLong() - epochMillis) / 1000);
    }

    // ------------------------------------------------------------ layout

    private static long ports(ConnectionEntry e) {
        return ((long) (e.cport & 0xffff) << 48) | ((long) (e.vport & 0xffff) << 32) | ((long) (e.protocol & 0xff) << 24) | MARK;
    }

    private long[] pack(ConnectionEntry e, int expiresAt) {
        long tail = ((long) e.timeoutSeconds << 32) | (expiresAt & 0xffffffffL);
        long flagsMark = ((long) e.flags << 32) | (e.fwmark & 0xffffffffL);
        if (!e.ipv6) {
            long[] w = scratch4;
            w[0] = (e.caddrLo << 32) | (e.vaddrLo & 0xffffffffL);
            w[1] = ports(e);
            w[2] = (e.daddrLo << 32) | ((long) (e.dport & 0xffff) << 16) | (e.state & 0xffff);
            w[3] = flagsMark;
            w[4] = tail;
            return w;
        }
        long[] w = scratch6;
        w[0] = e.caddrHi;
        w[1] = e.caddrLo;
        w[2] = e.vaddrHi;
        w[3] = e.vaddrLo;
        w[4] = ports(e);
        w[5] = e.daddrHi;
        w[6] = e.daddrLo;
        w[7] = ((long) (e.dport & 0xffff) << 16) | (e.state & 0xffff);
        w[8] = flagsMark;
        w[9] = tail;
        return w;
    }

    private static void unpack(long[] words, int b, boolean ipv6, int now, ConnectionEntry out) {
        out.ipv6 = ipv6;
        long ports;
        long dword;
        long flagsMark;
        long tail;
        if (!ipv6) {
            out.caddrHi = 0;
            out.caddrLo = words[b] >>> 32;
            out.vaddrHi = 0;
            out.vaddrLo = words[b] & 0xffffffffL;
            ports = words[b + 1];
            out.daddrHi = 0;
            out.daddrLo = words[b + 2] >>> 32;
            dword = words[b + 2];
            flagsMark = words[b + 3];
            tail = words[b + 4];
        } else {
            out.caddrHi = words[b];
            out.caddrLo = words[b + 1];
            out.vaddrHi = words[b + 2];
            out.vaddrLo = words[b + 3];
            ports = words[b + 4];
            out.daddrHi = words[b + 5];
            out.daddrLo = words[b + 6];
            dword = words[b + 7];
            flagsMark = words[b + 8];
            tail = words[b + 9];
        }
        out.cport = (int) (ports >>> 48) & 0xffff;
        out.vport = (int) (ports >>> 32) & 0xffff;
        out.protocol = (int) (ports >>> 24) & 0xff;
        out.dport = (int) (dword >>> 16) & 0xffff;
        out.state = (int) dword & 0xffff;
        out.flags = (int) (flagsMark >>> 32);
        out.fwmark = (int) flagsMark;
        out.timeoutSeconds = (int) (tail >>> 32);
        out.remainingSeconds = Math.max(0, (int) tail - now);
    }

    private static int expiresAt(long[] words, int b, int width) {
        return (int) words[b + width - 1];
    }

    // ------------------------------------------------------------ operations

    /**
     * Inserts or replaces the connection with {@code e}'s key; it expires {@code e.remainingSeconds}
     * from now (use {@code timeoutSeconds} for a fresh event).
     */
    public synchronized Upsert upsert(ConnectionEntry e) {
        int now = nowSeconds();
        SlotTable t = e.ipv6 ? v6 : v4;
        long[] packed = pack(e, now + Math.max(0, e.remainingSeconds));
        int slot = t.find(packed);
        if (slot >= 0) {
            t.put(slot, packed);
            updated++;
            return Upsert.UPDATED;
        }
        if (size() >= maxEntries) {
            // at most one full sweep per second: a flood into a full store must not scan the table per event
            if (now != lastFullSweep) {
                lastFullSweep = now;
                expireDueLocked(now, Integer.MAX_VALUE);
            }
            if (size() >= maxEntries) {
                refusedFull++;
                return Upsert.REFUSED_FULL;
            }
            slot = t.find(packed);
        }
        int room = t.ensureRoomForOne();
        if (room == SlotTable.FULL) {
            refusedFull++;
            return Upsert.REFUSED_FULL;
        }
        if (room == SlotTable.ROOM_AFTER_RESIZE) {
            slot = t.find(packed); // rehashed: the empty slot moved
        }
        t.insertAt(-slot - 1, packed);
        inserted++;
        return Upsert.INSERTED;
    }

    /**
     * Starts loading the memory an upsert, remove or find of {@code key} will touch, without the lock
     * and without waiting for it: call it for a batch of keys, then apply them. A lookup in a table of
     * a million connections is a cache (and TLB) miss; issued together, those misses overlap. Returns a
     * value only so that the load is not optimised away. IPv6 keys are not prefetched.
     */
    public long prefetch(ConnectionEntry key) {
        if (key.ipv6) {
            return 0;
        }
        return v4.touch((key.caddrLo << 32) | (key.vaddrLo & 0xffffffffL), ports(key));
    }

    /** Removes the connection with {@code key}'s key; true if it was there. */
    public synchronized boolean remove(ConnectionEntry key) {
        SlotTable t = key.ipv6 ? v6 : v4;
        int slot = t.find(pack(key, 0));
        if (slot < 0) {
            return false;
        }
        t.removeAt(slot);
        removed++;
        return true;
    }

    /** Looks up {@code keyAndOut}'s key and, if present, fills the rest of it; expired entries are absent. */
    public synchronized boolean find(ConnectionEntry keyAndOut) {
        SlotTable t = keyAndOut.ipv6 ? v6 : v4;
        int slot = t.find(pack(keyAndOut, 0));
        if (slot < 0) {
            return false;
        }
        int now = nowSeconds();
        int b = slot * t.width;
        if (expiresAt(t.words, b, t.width) <= now) {
            return false;
        }
        unpack(t.words, b, keyAndOut.ipv6, now, keyAndOut);
        return true;
    }

    /** Removes up to {@code budget} entries whose time is up; returns how many. */
    public synchronized int expireDue(int budget) {
        return expireDueLocked(nowSeconds(), budget);
    }

    private int expireDueLocked(int now, int budget) {
        int n = 0;
        int[] cursor = {sweepCursor4};
        n += sweep(v4, now, budget, cursor);
        sweepCursor4 = cursor[0];
        cursor[0] = sweepCursor6;
        n += sweep(v6, now, budget - n, cursor);
        sweepCursor6 = cursor[0];
        expired += n;
        return n;
    }

    /** Walks at most one full turn of the table from the cursor, removing due entries. */
    private static int sweep(SlotTable t, int now, int budget, int[] cursor) {
        int n = 0;
        int i = Math.min(cursor[0], t.capacity - 1);
        for (int visited = 0; visited < t.capacity && n < budget && t.size > 0; visited++) {
            int b = i * t.width;
            if (t.words[b + t.keyWords - 1] != 0 && expiresAt(t.words, b, t.width) <= now) {
                t.removeAt(i);
                n++;
                // an entry may have shifted into slot i: look at it again
                continue;
            }
            if (++i == t.capacity) {
                i = 0;
            }
        }
        cursor[0] = i;
        return n;
    }

    /** Sizes the IPv4 table for {@code entries} at once (e.g. before a state transfer of known size), avoiding repeated growth. */
    public synchronized void reserve(int entries) {
        v4.reserve(Math.min(entries, maxEntries));
    }

    public synchronized void clear() {
        v4.words = new long[v4.words.length];
        v4.size = 0;
        v6.words = new long[v6.words.length];
        v6.size = 0;
    }

    public synchronized int size() {
        return v4.size + v6.size;
    }

    public int maxEntries() {
        return maxEntries;
    }

    /** Bytes held by the store's slot arrays (the whole replica, apart from a few fields). */
    public synchronized long bytesAllocated() {
        return v4.bytes() + v6.bytes();
    }

    public synchronized long inserted() {
        return inserted;
    }

    public synchronized long updated() {
        return updated;
    }

    public synchronized long removed() {
        return removed;
    }

    public synchronized long expired() {
        return expired;
    }

    public synchronized long refusedFull() {
        return refusedFull;
    }

    /**
     * A point-in-time copy of the live entries (the arrays are copied under the lock, which takes
     * milliseconds even for a million entries), to be streamed without holding the lock.
     */
    public synchronized Snapshot snapshot() {
        return new Snapshot(v4.words.clone(), v6.words.clone(), v4.size + v6.size, nowSeconds());
    }

    /** A copy of the store's slots at one moment. */
    public static final class Snapshot {
        private final long[] v4;
        private final long[] v6;
        private final int size;
        private final int now;

        private Snapshot(long[] v4, long[] v6, int size, int now) {
            this.v4 = v4;
            this.v6 = v6;
            this.size = size;
            this.now = now;
        }

        public int size() {
            return size;
        }

        /** Calls {@code action} with {@code cursor} filled for every live entry (remainingSeconds relative to the snapshot time). */
        public void forEach(ConnectionEntry cursor, Consumer<ConnectionEntry> action) {
            walk(v4, V4_WIDTH, 2, false, cursor, action);
            walk(v6, V6_WIDTH, 5, true, cursor, action);
        }

        private void walk(long[] w, int width, int keyWords, boolean ipv6, ConnectionEntry cursor, Consumer<ConnectionEntry> action) {
            for (int b = 0; b < w.length; b += width) {
                if (w[b + keyWords - 1] != 0 && expiresAt(w, b, width) > now) {
                    unpack(w, b, ipv6, now, cursor);
                    action.accept(cursor);
                }
            }
        }
    }

    /** Calls {@code action} for every live entry under the lock (for tests and small tables). */
    public synchronized void forEach(ConnectionEntry cursor, Consumer<ConnectionEntry> action) {
        new Snapshot(v4.words, v6.words, size(), nowSeconds()).forEach(cursor, action);
    }
}
