package org.lvsha.core.ipvs.sched;

import java.util.Arrays;

/**
 * mh (ip_vs_mh.c): Maglev consistent hashing (§4). Each destination has a permutation of the M lookup slots
 * (offset = h1(addr, port) mod M, skip = h2 mod (M − 1) + 1) and the table is filled in turns proportional to
 * last_weight/gcd, scaled down so the largest fits in 6 bits; destinations with last weight 0 take no slot.
 * A quiesced destination (weight 0, last weight kept) keeps its slots and is skipped at lookup, so only its
 * flows move. The key is the source address, plus the source port with {@code mh-port} (SCHED2);
 * {@code mh-fallback} (SCHED1) probes further slots when the home one is unavailable.
 *
 * <p>The kernel hashes with hsiphash and boot-time-fixed keys; this class uses its own 64-bit mixer, so slot
 * assignments are stable across runs of lvsha but differ from the kernel's (only the userspace data plane
 * uses this class).
 */
public final class MaglevHashingScheduler implements Scheduler {

    /** The primes the kernel's CONFIG_IP_VS_MH_TAB_INDEX chooses from (§4). */
    public static final int[] TABLE_PRIMES = {251, 509, 1021, 2039, 4093, 8191, 16381, 32749, 65521, 131071};
    /** Kernel default: CONFIG_IP_VS_MH_TAB_INDEX 12 → index 4 → 4093 (§4). */
    public static final int DEFAULT_TABLE_SIZE = 4093;

    private final boolean fallback;
    private final boolean hashPort;
    private final int size;
    private final int[] lookup;
    private final boolean[] filled;
    private int[] permutation = new int[0];
    private int[] skip = new int[0];
    private int[] turns = new int[0];

    public MaglevHashingScheduler(boolean fallback, boolean hashPort) {
        this(fallback, hashPort, DEFAULT_TABLE_SIZE);
    }

    public MaglevHashingScheduler(boolean fallback, boolean hashPort, int tableSize) {
        if (Arrays.stream(TABLE_PRIMES).noneMatch(p -> p == tableSize)) {
            throw new IllegalArgumentException("mh table size must be one of the kernel's primes: " + tableSize);
        }
        this.fallback = fallback;
        this.hashPort = hashPort;
        this.size = tableSize;
        this.lookup = new int[tableSize];
        this.filled = new boolean[tableSize];
        Arrays.fill(lookup, NO_DESTINATION);
    }

    @Override
    public String name() {
        return "mh";
    }

    public int tableSize() {
        return size;
    }

    /** The destination index at each lookup slot, for tests of the layout. */
    int slot(int i) {
        return lookup[i];
    }

    static long mix(long z) {
        z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
        z = (z ^ (z >>> 33)) * 0xc4ceb9fe1a85ec53L;
        return z ^ (z >>> 33);
    }

    private static long destinationHash(byte[] address, int port, long seed) {
        long h = seed;
        for (byte b : address) {
            h = mix(h ^ (b & 0xff)) + 0x9E3779B97F4A7C15L;
        }
        return mix(h ^ port);
    }

    @Override
    public void destinationsChanged(DestinationTable table) {
        int n = table.size();
        permutation = new int[n];
        skip = new int[n];
        turns = new int[n];
        Arrays.fill(lookup, NO_DESTINATION);
        Arrays.fill(filled, false);
        int gcd = 0;
        int max = 0;
        for (int i = 0; i < n; i++) {
            int w = table.lastWeight(i);
            if (w > 0) {
                gcd = gcd == 0 ? w : gcd(gcd, w);
                max = Math.max(max, w);
            }
        }
        if (gcd < 1) {
            return; // ip_vs_mh_populate: no destination with a weight: empty table
        }
        int shift = Math.max(0, (32 - Integer.numberOfLeadingZeros(max / gcd)) - 6);
        for (int i = 0; i < n; i++) {
            long h1 = destinationHash(table.address(i), table.port(i), 0x2545F4914F6CDD1DL);
            long h2 = destinationHash(table.address(i), table.port(i), 0x5851F42D4C957F2DL);
            permutation[i] = (int) Long.remainderUnsigned(h1, size);
            skip[i] = (int) Long.remainderUnsigned(h2, size - 1) + 1;
            int lw = table.lastWeight(i);
            int t = (lw / gcd) >> shift;
            turns[i] = t > 0 ? t : (lw > 0 ? 1 : 0);
        }
        int placed = 0;
        while (placed < size) {
            for (int i = 0; i < n && placed < size; i++) {
                for (int t = 0; t < turns[i] && placed < size; t++) {
                    int c = permutation[i];
                    while (filled[c]) {
                        c += skip[i];
                        if (c >= size) {
                            c -= size;
                        }
                    }
                    permutation[i] = c;
                    filled[c] = true;
                    lookup[c] = i;
                    placed++;
                }
            }
        }
    }

    private static int gcd(int a, int b) {
        while (b != 0) {
            int t = a % b;
            a = b;
            b = t;
        }
        return a;
    }

    private int slotOf(FlowKey flow, int offset) {
        int port = hashPort ? flow.sourcePort() : 0;
        long key = ((long) flow.foldedSource() << 16) ^ port ^ ((long) offset << 48);
        return (int) Long.remainderUnsigned(mix(key), size);
    }

    @Override
    public int select(DestinationTable table, FlowKey flow) {
        int home = slotOf(flow, 0);
        int dest = lookup[home];
        if (dest == NO_DESTINATION || dest >= table.size()) {
            return NO_DESTINATION;
        }
        if (table.available(dest)) {
            return dest;
        }
        if (!fallback) {
            return NO_DESTINATION;
        }
        for (int offset = 0; offset < size; offset++) {
            int d = lookup[slotOf(flow, (offset + home) % size)];
            if (d == NO_DESTINATION) {
                break;
            }
            if (d < table.size() && table.available(d)) {
                return d;
            }
        }
        return NO_DESTINATION;
    }
}
