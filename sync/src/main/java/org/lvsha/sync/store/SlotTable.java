package org.lvsha.sync.store;

/**
 * An open-addressing hash table of fixed-width slots in one {@code long[]}: linear probing,
 * backward-shift deletion (no tombstones), growth by rehashing (×1.25) up to a fixed maximum capacity.
 * The first {@code keyWords} words of a slot are the key; the last key word is never zero for an
 * occupied slot (it carries a marker bit), so zero means empty. Not thread-safe: {@link ReplicaStore}
 * confines it behind its lock.
 */
final class SlotTable {
    /** Load limit: linear probing stays short (≈3 probes for a hit, 13 for a miss) and 40-byte slots cost ≤ 50 B/entry when full. */
    static final double MAX_LOAD = 0.8;
    /** Growth step: small, so that right after a growth the load is still 0.64 (≤ 63 B per IPv4 entry). */
    static final double GROWTH = 1.25;

    /**
     * Per-table hash seed. Without it, a table filled in another table's slot order (a state
     * transfer streams the provider's table in slot order) receives its keys sorted by home slot,
     * which piles them into one probe run: quadratic inserts (seen: 30 s for 300 000 entries).
     */
    private final long seed = java.util.concurrent.ThreadLocalRandom.current().nextLong();
    final int width;
    final int keyWords;
    private final int maxCapacity;
    long[] words;
    int capacity;
    int size;

    SlotTable(int width, int keyWords, int maxEntries) {
        this.width = width;
        this.keyWords = keyWords;
        this.maxCapacity = (int) Math.min(Integer.MAX_VALUE / width - 1, (long) Math.ceil(maxEntries / MAX_LOAD) + 1);
        this.capacity = Math.min(1024, maxCapacity);
        this.words = new long[capacity * width];
    }

    long bytes() {
        return (long) words.length * Long.BYTES;
    }

    private int home(long[] w, int base) {
        long h = seed;
        for (int i = 0; i < keyWords; i++) {
            h = mix(h, w[base + i]);
        }
        return slotOf(h, capacity);
    }

    private static long mix(long h, long word) {
        h = (h ^ word) * 0xBF58476D1CE4E5B9L;
        return h ^ (h >>> 31);
    }

    private static int slotOf(long h, int capacity) {
        h *= 0x94D049BB133111EBL;
        h ^= h >>> 29;
        return (int) (((h >>> 32) * capacity) >>> 32);
    }

    /**
     * Reads the first word of the home slot of the two-word key {@code (k0, k1)} and returns it, so
     * that the caller can start the cache misses of many lookups before doing them (memory-level
     * parallelism: independent loads overlap, dependent probes do not). Lock-free and racy on
     * purpose: a concurrent resize only makes the touch useless, never wrong.
     */
    long touch(long k0, long k1) {
        long[] w = words;
        int cap = capacity;
        int i = slotOf(mix(mix(seed, k0), k1), cap) * width;
        // the home slot's line and the next two: a hit is on average ~2 slots past home (0.8 load)
        return i + 17 < w.length ? w[i + 1] + w[i + 9] + w[i + 17] : 0;
    }

    private boolean occupied(int slot) {
        return words[slot * width + keyWords - 1] != 0;
    }

    private boolean keyEquals(int slot, long[] key) {
        int b = slot * width;
        for (int i = 0; i < keyWords; i++) {
            if (words[b + i] != key[i]) {
                return false;
            }
        }
        return true;
    }

    /** The slot holding {@code key}, or {@code -(emptySlot + 1)} where it would go. */
    int find(long[] key) {
        int i = home(key, 0);
        while (true) {
            if (!occupied(i)) {
                return -(i + 1);
            }
            if (keyEquals(i, key)) {
                return i;
            }
            if (++i == capacity) {
                i = 0;
            }
        }
    }

    static final int ROOM = 0;
    static final int ROOM_AFTER_RESIZE = 1;
    static final int FULL = 2;

    /** Whether one more entry fits without exceeding the load factor at maximum capacity; {@link #ROOM_AFTER_RESIZE}: slots moved. */
    int ensureRoomForOne() {
        if (size + 1 <= capacity * MAX_LOAD) {
            return ROOM;
        }
        if (capacity >= maxCapacity) {
            return FULL;
        }
        resize((int) Math.min(maxCapacity, (long) Math.ceil(capacity * GROWTH)));
        return ROOM_AFTER_RESIZE;
    }

    /** Grows once, now, so that {@code entries} fit without further rehashing (bounded by the maximum capacity). */
    void reserve(int entries) {
        int wanted = (int) Math.min(maxCapacity, (long) Math.ceil(entries / MAX_LOAD) + 1);
        if (wanted > capacity) {
            resize(wanted);
        }
    }

    void put(int slot, long[] packed) {
        System.arraycopy(packed, 0, words, slot * width, width);
    }

    void insertAt(int emptySlot, long[] packed) {
        put(emptySlot, packed);
        size++;
    }

    /** Removes the entry at {@code slot} and shifts later members of its probe run back. */
    void removeAt(int slot) {
        int hole = slot;
        int j = slot;
        while (true) {
            if (++j == capacity) {
                j = 0;
            }
            if (!occupied(j)) {
                break;
            }
            int k = home(words, j * width);
            boolean inRange = hole <= j ? (hole < k && k <= j) : (hole < k || k <= j);
            if (!inRange) {
                System.arraycopy(words, j * width, words, hole * width, width);
                hole = j;
            }
        }
        java.util.Arrays.fill(words, hole * width, hole * width + width, 0L);
        size--;
    }

    private void resize(int newCapacity) {
        long[] old = words;
        int oldCapacity = capacity;
        words = new long[newCapacity * width];
        capacity = newCapacity;
        for (int s = 0; s < oldCapacity; s++) {
            int b = s * width;
            if (old[b + keyWords - 1] != 0) {
                int i = home(old, b);
                while (occupied(i)) {
                    if (++i == capacity) {
                        i = 0;
                    }
                }
                System.arraycopy(old, b, words, i * width, width);
            }
        }
    }
}
