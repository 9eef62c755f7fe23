package org.lvsha.core.ipvs.sched;

/** rr (ip_vs_rr.c): the next available destination after the last pick, wrapping around (§4). */
public final class RoundRobinScheduler implements Scheduler {

    private int last = -1;

    @Override
    public String name() {
        return "rr";
    }

    @Override
    public void destinationsChanged(DestinationTable table) {
        // The kernel moves its list cursor back when the destination it points at is deleted; clamping keeps
        // the rotation going from about the same place.
        if (last >= table.size()) {
            last = table.size() - 1;
        }
    }

    @Override
    public int select(DestinationTable table, FlowKey flow) {
        int n = table.size();
        for (int step = 1; step <= n; step++) {
            int i = (last + step) % n;
            if (i < 0) {
                i += n;
            }
            if (table.available(i)) {
                last = i;
                return i;
            }
        }
        return NO_DESTINATION;
    }
}
