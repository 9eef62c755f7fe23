package org.lvsha.core.ipvs.sched;

/**
 * wrr (ip_vs_wrr.c): interleaved weighted round robin (§4). With di the gcd of the positive weights and
 * mw = max weight − (di − 1), each pass over the list takes the destinations whose weight ≥ cw, then lowers cw
 * by di, wrapping to mw at ≤ 0. Weights 4,3,2 give A A B A B C A B C. Overloaded destinations are skipped.
 */
public final class WeightedRoundRobinScheduler implements Scheduler {

    private int cursor = -1;
    private int currentWeight;
    private int maxWeight;
    private int gcd = 1;

    @Override
    public String name() {
        return "wrr";
    }

    @Override
    public void destinationsChanged(DestinationTable table) {
        int g = 0;
        int max = 0;
        for (int i = 0; i < table.size(); i++) {
            int w = table.weight(i);
            if (w > 0) {
                g = g == 0 ? w : gcd(g, w);
                max = Math.max(max, w);
            }
        }
        gcd = g == 0 ? 1 : g;
        maxWeight = max == 0 ? 0 : max - (gcd - 1);
        // §4: the state is reset on any destination change.
        cursor = -1;
        currentWeight = maxWeight;
    }

    private static int gcd(int a, int b) {
        while (b != 0) {
            int t = a % b;
            a = b;
            b = t;
        }
        return a;
    }

    @Override
    public int select(DestinationTable table, FlowKey flow) {
        if (maxWeight == 0) {
            return NO_DESTINATION;
        }
        int n = table.size();
        // Every cw value is visited within maxWeight/gcd + 1 passes; after two full cycles nothing qualifies.
        int passesLeft = 2 * (maxWeight / gcd + 2);
        while (passesLeft-- > 0) {
            for (int i = cursor + 1; i < n; i++) {
                if (!table.overloaded(i) && table.weight(i) >= currentWeight) {
                    cursor = i;
                    return i;
                }
            }
            cursor = -1;
            currentWeight -= gcd;
            if (currentWeight <= 0) {
                currentWeight = maxWeight;
            }
        }
        return NO_DESTINATION;
    }
}
