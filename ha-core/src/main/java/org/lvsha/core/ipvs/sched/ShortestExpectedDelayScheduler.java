package org.lvsha.core.ipvs.sched;

/** sed (ip_vs_sed.c): the least (active + 1)/weight; inactive connections are ignored (§4). */
public final class ShortestExpectedDelayScheduler implements Scheduler {

    @Override
    public String name() {
        return "sed";
    }

    @Override
    public void destinationsChanged(DestinationTable table) {
    }

    @Override
    public int select(DestinationTable table, FlowKey flow) {
        return leastExpectedDelay(table, 0);
    }

    static int leastExpectedDelay(DestinationTable table, int from) {
        int least = NO_DESTINATION;
        long loh = 0;
        for (int i = from; i < table.size(); i++) {
            if (!table.available(i)) {
                continue;
            }
            long doh = table.activeConns(i) + 1L;
            if (least == NO_DESTINATION || loh * table.weight(i) > doh * table.weight(least)) {
                least = i;
                loh = doh;
            }
        }
        return least;
    }
}
