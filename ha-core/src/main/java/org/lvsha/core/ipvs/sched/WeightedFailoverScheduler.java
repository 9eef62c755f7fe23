package org.lvsha.core.ipvs.sched;

/** fo (ip_vs_fo.c): the available destination with the highest weight; the first one wins a tie (§4). */
public final class WeightedFailoverScheduler implements Scheduler {

    @Override
    public String name() {
        return "fo";
    }

    @Override
    public void destinationsChanged(DestinationTable table) {
    }

    @Override
    public int select(DestinationTable table, FlowKey flow) {
        int best = NO_DESTINATION;
        int bestWeight = 0;
        for (int i = 0; i < table.size(); i++) {
            if (!table.overloaded(i) && table.weight(i) > bestWeight) {
                best = i;
                bestWeight = table.weight(i);
            }
        }
        return best;
    }
}
