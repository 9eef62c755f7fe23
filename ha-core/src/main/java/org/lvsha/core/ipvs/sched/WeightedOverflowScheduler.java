package org.lvsha.core.ipvs.sched;

/**
 * ovf (ip_vs_ovf.c): the highest-weight destination whose active connections do not exceed its weight; when
 * it fills up, new connections overflow to the next. Active connections only, so ill-suited to UDP (§4).
 */
public final class WeightedOverflowScheduler implements Scheduler {

    @Override
    public String name() {
        return "ovf";
    }

    @Override
    public void destinationsChanged(DestinationTable table) {
    }

    @Override
    public int select(DestinationTable table, FlowKey flow) {
        int best = NO_DESTINATION;
        for (int i = 0; i < table.size(); i++) {
            int w = table.weight(i);
            if (table.overloaded(i) || table.activeConns(i) > w || w == 0) {
                continue;
            }
            if (best == NO_DESTINATION || w > table.weight(best)) {
                best = i;
            }
        }
        return best;
    }
}
