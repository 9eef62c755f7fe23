package org.lvsha.core.ipvs.sched;

import java.util.Arrays;

/**
 * The lblc/lblcr cache: destination IP (128 bits; IPv4 in the low word) → an entry holding one destination
 * index or a set of them (a bit set), last use and last modification times. Open addressing with linear
 * probing over primitive arrays: lookups and expiry do not allocate; inserting a new address may grow the
 * table, and a destination-list change renumbers it.
 */
final class LocalityCache {

    private long[] high;
    private long[] low;
    private boolean[] used;
    private int[] destination;
    private long[] lastUse;
    private long[] lastModified;
    private long[] members;
    private int words;
    private int count;

    LocalityCache(int destinationCount) {
        allocate(64, wordsFor(destinationCount));
    }

    private static int wordsFor(int destinationCount) {
        return Math.max(1, (destinationCount + 63) / 64);
    }

    private void allocate(int capacity, int memberWords) {
        high = new long[capacity];
        low = new long[capacity];
        used = new boolean[capacity];
        destination = new int[capacity];
        lastUse = new long[capacity];
        lastModified = new long[capacity];
        words = memberWords;
        members = new long[capacity * memberWords];
        count = 0;
    }

    int size() {
        return count;
    }

    private int home(long h, long l) {
        return (int) (MaglevHashingScheduler.mix(h * 31 + l) & (used.length - 1));
    }

    /** The slot of the address, or -1. */
    int find(long h, long l) {
        int mask = used.length - 1;
        for (int i = home(h, l); used[i]; i = (i + 1) & mask) {
            if (high[i] == h && low[i] == l) {
                return i;
            }
        }
        return -1;
    }

    /** A new, empty entry for an address known to be absent. */
    int insert(long h, long l, long now) {
        if ((count + 1) * 2 > used.length) {
            rebuild(used.length * 2, words, null);
        }
        int mask = used.length - 1;
        int i = home(h, l);
        while (used[i]) {
            i = (i + 1) & mask;
        }
        used[i] = true;
        high[i] = h;
        low[i] = l;
        destination[i] = Scheduler.NO_DESTINATION;
        lastUse[i] = now;
        lastModified[i] = now;
        Arrays.fill(members, i * words, (i + 1) * words, 0L);
        count++;
        return i;
    }

    int destination(int slot) {
        return destination[slot];
    }

    void setDestination(int slot, int dest) {
        destination[slot] = dest;
    }

    void touch(int slot, long now) {
        lastUse[slot] = now;
    }

    long lastModified(int slot) {
        return lastModified[slot];
    }

    boolean isMember(int slot, int dest) {
        return (members[slot * words + (dest >>> 6)] & (1L << dest)) != 0;
    }

    void addMember(int slot, int dest, long now) {
        members[slot * words + (dest >>> 6)] |= 1L << dest;
        lastModified[slot] = now;
    }

    void removeMember(int slot, int dest, long now) {
        members[slot * words + (dest >>> 6)] &= ~(1L << dest);
        lastModified[slot] = now;
    }

    int memberCount(int slot) {
        int c = 0;
        for (int w = 0; w < words; w++) {
            c += Long.bitCount(members[slot * words + w]);
        }
        return c;
    }

    /** Next member index at or after {@code from}, or -1. */
    int nextMember(int slot, int from) {
        int limit = words * 64;
        for (int d = from; d < limit; d++) {
            long word = members[slot * words + (d >>> 6)];
            if ((word >>> (d & 63)) == 0) {
                d = (d | 63);
                continue;
            }
            if ((word & (1L << d)) != 0) {
                return d;
            }
        }
        return -1;
    }

    /**
     * Renumbers destinations after a list change ({@code oldToNew[old]} = new index or -1) and resizes the
     * member sets for {@code newCount} destinations.
     */
    void renumber(int[] oldToNew, int newCount) {
        rebuild(used.length, wordsFor(newCount), oldToNew);
    }

    /**
     * Drops entries idle since before {@code idleBefore}; if more than {@code maxEntries} are cached, also those
     * idle since before {@code crowdedIdleBefore} (kernel lblc/lblcr check_expire). In place, without allocating:
     * it runs on the data plane's thread.
     */
    void expire(long idleBefore, int maxEntries, long crowdedIdleBefore) {
        long limit = count > maxEntries ? Math.max(idleBefore, crowdedIdleBefore) : idleBefore;
        int s = 0;
        while (s < used.length) {
            if (used[s] && lastUse[s] < limit) {
                remove(s); // an entry may have shifted into s: look at s again
            } else {
                s++;
            }
        }
    }

    /** Linear-probing deletion by backward shift, so later probes still find every remaining entry. */
    private void remove(int slot) {
        int mask = used.length - 1;
        int hole = slot;
        int j = slot;
        while (true) {
            j = (j + 1) & mask;
            if (!used[j]) {
                break;
            }
            int k = home(high[j], low[j]);
            boolean stays = hole <= j ? (hole < k && k <= j) : (hole < k || k <= j);
            if (stays) {
                continue;
            }
            move(j, hole);
            hole = j;
        }
        used[hole] = false;
        count--;
    }

    private void move(int from, int to) {
        used[to] = true;
        high[to] = high[from];
        low[to] = low[from];
        destination[to] = destination[from];
        lastUse[to] = lastUse[from];
        lastModified[to] = lastModified[from];
        System.arraycopy(members, from * words, members, to * words, words);
    }

    private void rebuild(int capacity, int newWords, int[] oldToNew) {
        long[] oh = high;
        long[] ol = low;
        boolean[] ou = used;
        int[] od = destination;
        long[] olu = lastUse;
        long[] olm = lastModified;
        long[] om = members;
        int ow = words;
        allocate(capacity, newWords);
        for (int s = 0; s < ou.length; s++) {
            if (!ou[s]) {
                continue;
            }
            int slot = insert(oh[s], ol[s], olu[s]);
            lastModified[slot] = olm[s];
            int d = od[s];
            destination[slot] = oldToNew == null || d < 0 ? d : (d < oldToNew.length ? oldToNew[d] : -1);
            for (int m = 0; m < ow * 64; m++) {
                if ((om[s * ow + (m >>> 6)] & (1L << m)) != 0) {
                    int nm = oldToNew == null ? m : (m < oldToNew.length ? oldToNew[m] : -1);
                    if (nm >= 0 && nm < newWords * 64) {
                        members[slot * newWords + (nm >>> 6)] |= 1L << nm;
                    }
                }
            }
        }
    }
}
