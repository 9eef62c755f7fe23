package org.lvsha.core.ipvs.sched;

/**
 * wlc (ip_vs_wlc.c), the default: the least overhead/weight, compared cross-multiplied in 64 bits
 * ({@code loh × w_d > doh × w_least}); the first available destination wins a tie (§4).
 */
public final class WeightedLeastConnectionScheduler implements Scheduler {

    @Override
    public String name() {
        return "wlc";
    }

    @Override
    public void destinationsChanged(DestinationTable table) {
    }

    @Override
    public int select(DestinationTable table, FlowKey flow) {
        return leastWeightedOverhead(table);
    }

    /** Shared with lblc/lblcr, which fall back to exactly this choice. */
    static int leastWeightedOverhead(DestinationTable table) {
        int least = NO_DESTINATION;
        long loh = 0;
        for (int i = 0; i < table.size(); i++) {
            if (!table.available(i)) {
                continue;
            }
            long doh = table.overhead(i);
            if (least == NO_DESTINATION || loh * table.weight(i) > doh * table.weight(least)) {
                least = i;
                loh = doh;
            }
        }
        return least;
    }
}
