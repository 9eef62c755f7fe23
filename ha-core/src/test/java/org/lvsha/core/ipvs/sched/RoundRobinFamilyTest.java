package org.lvsha.core.ipvs.sched;

import static org.assertj.core.api.Assertions.assertThat;
import static org.lvsha.core.ipvs.sched.Tables.histogram;
import static org.lvsha.core.ipvs.sched.Tables.weights;

import org.junit.jupiter.api.Test;

/** rr and wrr (§4). */
class RoundRobinFamilyTest {

    private static int[] sequence(Scheduler s, DestinationTable t, int n) {
        int[] out = new int[n];
        FlowKey f = Tables.fromClient(1, 1);
        for (int i = 0; i < n; i++) {
            out[i] = s.select(t, f);
        }
        return out;
    }

    @Test
    void rrRotatesThroughTheListFromTheLastPick() {
        DestinationArray t = weights(1, 1, 1);
        Scheduler rr = new RoundRobinScheduler();
        rr.destinationsChanged(t);
        assertThat(sequence(rr, t, 6)).containsExactly(0, 1, 2, 0, 1, 2);
    }

    @Test
    void rrSkipsQuiescedAndOverloadedDestinations() {
        DestinationArray t = weights(1, 0, 1, 1);
        t.setThresholds(2, 1, 0);
        t.connectionBound(2, true); // 1 ≥ upper 1 → overloaded
        Scheduler rr = new RoundRobinScheduler();
        rr.destinationsChanged(t);
        assertThat(sequence(rr, t, 4)).containsExactly(0, 3, 0, 3);
        assertThat(rr.select(weights(0, 0), Tables.fromClient(1, 1))).isEqualTo(Scheduler.NO_DESTINATION);
    }

    @Test
    void wrrInterleavesHigherWeightsFirst() {
        DestinationArray t = weights(4, 3, 2);
        Scheduler wrr = new WeightedRoundRobinScheduler();
        wrr.destinationsChanged(t);
        // cw 4: A; cw 3: A B; cw 2: A B C; cw 1: A B C
        assertThat(sequence(wrr, t, 18)).containsExactly(0, 0, 1, 0, 1, 2, 0, 1, 2, 0, 0, 1, 0, 1, 2, 0, 1, 2);
    }

    @Test
    void wrrStepsByTheGcdOfTheWeights() {
        DestinationArray t = weights(2, 4);
        Scheduler wrr = new WeightedRoundRobinScheduler();
        wrr.destinationsChanged(t);
        // di = 2, mw = 4 - (2 - 1) = 3: cw 3 → B; cw 1 → A B
        assertThat(sequence(wrr, t, 6)).containsExactly(1, 0, 1, 1, 0, 1);
    }

    @Test
    void wrrDistributesInProportionToWeightAndNeverPicksWeightZero() {
        DestinationArray t = weights(5, 0, 2, 1);
        Scheduler wrr = new WeightedRoundRobinScheduler();
        wrr.destinationsChanged(t);
        assertThat(histogram(wrr, t, 8000)).containsExactly(5000, 0, 2000, 1000);
    }

    @Test
    void wrrWithAllWeightsZeroOrAllOverloadedHasNoDestination() {
        DestinationArray zero = weights(0, 0);
        Scheduler wrr = new WeightedRoundRobinScheduler();
        wrr.destinationsChanged(zero);
        assertThat(wrr.select(zero, Tables.fromClient(1, 1))).isEqualTo(Scheduler.NO_DESTINATION);
        DestinationArray full = weights(1, 2);
        for (int i = 0; i < 2; i++) {
            full.setThresholds(i, 1, 0);
            full.connectionBound(i, true);
        }
        wrr.destinationsChanged(full);
        assertThat(wrr.select(full, Tables.fromClient(1, 1))).isEqualTo(Scheduler.NO_DESTINATION);
    }
}
