package org.lvsha.core.ipvs.sched;

/**
 * twos (ip_vs_twos.c): draws two destinations weighted-randomly (r in [0, Σw]) and takes the one with the
 * lower overhead/weight (§4). The random source is a seeded xorshift so tests are deterministic and the
 * hot path does not allocate.
 */
public final class PowerOfTwoChoicesScheduler implements Scheduler {

    private long state;

    public PowerOfTwoChoicesScheduler(long seed) {
        this.state = seed == 0 ? 0x9E3779B97F4A7C15L : seed;
    }

    @Override
    public String name() {
        return "twos";
    }

    @Override
    public void destinationsChanged(DestinationTable table) {
    }

    /** Uniform in [0, bound). */
    private long below(long bound) {
        state ^= state << 13;
        state ^= state >>> 7;
        state ^= state << 17;
        return Long.remainderUnsigned(state, bound);
    }

    @Override
    public int select(DestinationTable table, FlowKey flow) {
        long total = 0;
        for (int i = 0; i < table.size(); i++) {
            if (table.available(i)) {
                total += table.weight(i);
            }
        }
        if (total == 0) {
            return NO_DESTINATION;
        }
        // ip_vs_twos: "+1 so that the random weights are inclusive from 0 to total_weight"
        long r1 = below(total + 1);
        long r2 = below(total + 1);
        int choice1 = NO_DESTINATION;
        int choice2 = NO_DESTINATION;
        for (int i = 0; i < table.size() && (choice1 == NO_DESTINATION || choice2 == NO_DESTINATION); i++) {
            if (!table.available(i)) {
                continue;
            }
            r1 -= table.weight(i);
            r2 -= table.weight(i);
            if (r1 <= 0 && choice1 == NO_DESTINATION) {
                choice1 = i;
            }
            if (r2 <= 0 && choice2 == NO_DESTINATION) {
                choice2 = i;
            }
        }
        if (choice2 != NO_DESTINATION
                && (long) table.weight(choice2) * table.overhead(choice1) > (long) table.weight(choice1) * table.overhead(choice2)) {
            return choice2;
        }
        return choice1;
    }
}
