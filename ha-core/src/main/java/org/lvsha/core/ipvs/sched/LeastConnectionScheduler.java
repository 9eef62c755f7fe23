package org.lvsha.core.ipvs.sched;

/**
 * lc (ip_vs_lc.c): the available destination with the least overhead (active × 256 + inactive), weight ignored
 * except that weight 0 is excluded; the first one wins a tie (§4).
 */
public final class LeastConnectionScheduler implements Scheduler {

    @Override
    public String name() {
        return "lc";
    }

    @Override
    public void destinationsChanged(DestinationTable table) {
    }

    @Override
    public int select(DestinationTable table, FlowKey flow) {
        int least = NO_DESTINATION;
        long leastOverhead = 0;
        for (int i = 0; i < table.size(); i++) {
            if (!table.available(i)) {
                continue;
            }
            long doh = table.overhead(i);
            if (least == NO_DESTINATION || doh < leastOverhead) {
                least = i;
                leastOverhead = doh;
            }
        }
        return least;
    }
}
