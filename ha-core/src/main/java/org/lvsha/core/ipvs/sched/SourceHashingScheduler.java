package org.lvsha.core.ipvs.sched;

import java.util.Arrays;

/**
 * sh (ip_vs_sh.c): a 256-bucket table filled in list order, each destination taking max(weight, 1)
 * consecutive buckets, wrapping over the list until the table is full. The bucket of a flow is
 * {@code hash_32(port + ntohl(saddr), 8)} with the source port only under {@code sh-port} (SCHED2) and the
 * IPv6 address XOR-folded. Without {@code sh-fallback} (SCHED1) an unavailable destination means no
 * destination; with it the table is probed at further offsets (§4).
 */
public final class SourceHashingScheduler implements Scheduler {

    static final int TABLE_BITS = 8;
    static final int TABLE_SIZE = 1 << TABLE_BITS;
    /** {@code GOLDEN_RATIO_32} of linux/hash.h. */
    static final int GOLDEN_RATIO_32 = 0x61C88647;

    private final boolean fallback;
    private final boolean hashPort;
    private final int[] buckets = new int[TABLE_SIZE];

    public SourceHashingScheduler(boolean fallback, boolean hashPort) {
        this.fallback = fallback;
        this.hashPort = hashPort;
        Arrays.fill(buckets, NO_DESTINATION);
    }

    @Override
    public String name() {
        return "sh";
    }

    static int hash32(int value, int bits) {
        return (value * GOLDEN_RATIO_32) >>> (32 - bits);
    }

    @Override
    public void destinationsChanged(DestinationTable table) {
        int n = table.size();
        if (n == 0) {
            Arrays.fill(buckets, NO_DESTINATION);
            return;
        }
        int d = 0;
        int taken = 0;
        for (int i = 0; i < TABLE_SIZE; i++) {
            buckets[i] = d;
            // ip_vs_sh_reassign: advance once this destination has had max(weight, 1) buckets
            if (++taken >= Math.max(table.weight(d), 1)) {
                d = (d + 1) % n;
                taken = 0;
            }
        }
    }

    private int bucket(FlowKey flow, int offset) {
        int port = hashPort ? flow.sourcePort() : 0;
        return (int) (((offset & 0xffffffffL) + (hash32(port + flow.foldedSource(), TABLE_BITS) & 0xffffffffL)) % TABLE_SIZE);
    }

    @Override
    public int select(DestinationTable table, FlowKey flow) {
        int home = bucket(flow, 0);
        int dest = buckets[home];
        if (dest == NO_DESTINATION || dest >= table.size()) {
            return NO_DESTINATION;
        }
        if (table.available(dest)) {
            return dest;
        }
        if (!fallback) {
            return NO_DESTINATION;
        }
        // ip_vs_sh_get_fallback: probe hash(addr, port, offset) for offsets home, home+1, ...
        for (int offset = 0; offset < TABLE_SIZE; offset++) {
            int d = buckets[bucket(flow, (offset + home) % TABLE_SIZE)];
            if (d != NO_DESTINATION && d < table.size() && table.available(d)) {
                return d;
            }
        }
        return NO_DESTINATION;
    }
}
