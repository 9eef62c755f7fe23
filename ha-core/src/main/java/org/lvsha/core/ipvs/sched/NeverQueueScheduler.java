package org.lvsha.core.ipvs.sched;

/** nq (ip_vs_nq.c): the first available destination with no active connection, else as sed (§4). */
public final class NeverQueueScheduler implements Scheduler {

    @Override
    public String name() {
        return "nq";
    }

    @Override
    public void destinationsChanged(DestinationTable table) {
    }

    @Override
    public int select(DestinationTable table, FlowKey flow) {
        for (int i = 0; i < table.size(); i++) {
            if (table.available(i) && table.activeConns(i) == 0) {
                return i;
            }
        }
        return ShortestExpectedDelayScheduler.leastExpectedDelay(table, 0);
    }
}
