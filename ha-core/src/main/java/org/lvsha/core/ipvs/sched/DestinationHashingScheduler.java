package org.lvsha.core.ipvs.sched;

import java.util.Arrays;

/**
 * dh (ip_vs_dh.c): like sh but keyed by the destination address: bucket = ntohl(daddr) × 2654435761 &amp; 255,
 * buckets filled round-robin over the list, no fallback (§4).
 */
public final class DestinationHashingScheduler implements Scheduler {

    static final int TABLE_SIZE = 256;
    private final int[] buckets = new int[TABLE_SIZE];

    public DestinationHashingScheduler() {
        Arrays.fill(buckets, NO_DESTINATION);
    }

    @Override
    public String name() {
        return "dh";
    }

    @Override
    public void destinationsChanged(DestinationTable table) {
        int n = table.size();
        for (int i = 0; i < TABLE_SIZE; i++) {
            buckets[i] = n == 0 ? NO_DESTINATION : i % n;
        }
    }

    @Override
    public int select(DestinationTable table, FlowKey flow) {
        int bucket = (int) (((flow.foldedDestination() & 0xffffffffL) * 2654435761L) & (TABLE_SIZE - 1));
        int dest = buckets[bucket];
        if (dest == NO_DESTINATION || dest >= table.size() || !table.available(dest)) {
            return NO_DESTINATION;
        }
        return dest;
    }
}
