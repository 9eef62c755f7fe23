package org.lvsha.core.ipvs.sched;

import static org.assertj.core.api.Assertions.assertThat;
import static org.lvsha.core.ipvs.sched.Tables.weights;

import org.junit.jupiter.api.Test;

/** lc, wlc, sed, nq, fo, ovf, twos: choices from the destination counters (§4). */
class LeastConnectionFamilyTest {

    private static int pick(Scheduler s, DestinationArray t) {
        s.destinationsChanged(t);
        return s.select(t, Tables.fromClient(1, 1));
    }

    @Test
    void lcTakesTheLeastOverheadCountingActiveAs256Inactive() {
        DestinationArray t = weights(1, 1, 1);
        t.setConnections(0, 1, 0);   // 256
        t.setConnections(1, 0, 255); // 255
        t.setConnections(2, 0, 300); // 300
        assertThat(pick(new LeastConnectionScheduler(), t)).isEqualTo(1);
    }

    @Test
    void lcIgnoresWeightExceptZeroAndTheFirstWinsATie() {
        DestinationArray t = weights(0, 5, 1);
        assertThat(pick(new LeastConnectionScheduler(), t)).isEqualTo(1);
        t.setConnections(1, 1, 0);
        assertThat(pick(new LeastConnectionScheduler(), t)).isEqualTo(2);
    }

    @Test
    void wlcTakesTheLeastOverheadPerWeight() {
        DestinationArray t = weights(1, 3);
        t.setConnections(0, 1, 0); // 256/1
        t.setConnections(1, 2, 0); // 512/3
        assertThat(pick(new WeightedLeastConnectionScheduler(), t)).isEqualTo(1);
        t.setConnections(1, 4, 0); // 1024/3 > 256
        assertThat(pick(new WeightedLeastConnectionScheduler(), t)).isEqualTo(0);
    }

    @Test
    void wlcTieGoesToTheFirstAndOverloadedOrQuiescedAreSkipped() {
        DestinationArray t = weights(2, 2, 0);
        assertThat(pick(new WeightedLeastConnectionScheduler(), t)).isEqualTo(0);
        t.setThresholds(0, 1, 0);
        t.connectionBound(0, true);
        assertThat(pick(new WeightedLeastConnectionScheduler(), t)).isEqualTo(1);
    }

    @Test
    void wlcSpreadsNewConnectionsByWeightAsTheyAccumulate() {
        DestinationArray t = weights(1, 2, 3);
        Scheduler wlc = new WeightedLeastConnectionScheduler();
        wlc.destinationsChanged(t);
        for (int i = 0; i < 600; i++) {
            t.connectionBound(wlc.select(t, Tables.fromClient(1, 1)), true);
        }
        assertThat(new int[] {t.activeConns(0), t.activeConns(1), t.activeConns(2)}).containsExactly(100, 200, 300);
    }

    @Test
    void sedIgnoresInactiveConnectionsAndCountsTheNewOne() {
        DestinationArray t = weights(1, 3);
        t.setConnections(0, 0, 1000);
        t.setConnections(1, 1, 0);
        // (0+1)/1 = 1 > (1+1)/3
        assertThat(pick(new ShortestExpectedDelayScheduler(), t)).isEqualTo(1);
        // wlc would pick differently: 1000/1 vs 256/3
        assertThat(pick(new WeightedLeastConnectionScheduler(), t)).isEqualTo(1);
        t.setConnections(1, 3, 0); // 4/3 > 1
        assertThat(pick(new ShortestExpectedDelayScheduler(), t)).isEqualTo(0);
    }

    @Test
    void nqTakesAnIdleServerEvenWhenItIsSlower() {
        DestinationArray t = weights(10, 1, 1);
        t.setConnections(0, 1, 0);
        t.setConnections(1, 1, 0);
        t.setConnections(2, 0, 50);
        assertThat(pick(new NeverQueueScheduler(), t)).isEqualTo(2);
        assertThat(pick(new ShortestExpectedDelayScheduler(), t)).isEqualTo(0);
        t.setConnections(2, 1, 0);
        assertThat(pick(new NeverQueueScheduler(), t)).isEqualTo(0); // nobody idle: as sed
    }

    @Test
    void foTakesTheHighestWeightAvailableAndFailsOver() {
        DestinationArray t = weights(5, 10, 10, 1);
        assertThat(pick(new WeightedFailoverScheduler(), t)).isEqualTo(1);
        t.setWeight(1, 0);
        assertThat(pick(new WeightedFailoverScheduler(), t)).isEqualTo(2);
        t.setThresholds(2, 1, 0);
        t.connectionBound(2, true);
        assertThat(pick(new WeightedFailoverScheduler(), t)).isEqualTo(0);
    }

    @Test
    void ovfFillsTheHighestWeightUpToItsWeightThenOverflows() {
        DestinationArray t = weights(2, 3);
        Scheduler ovf = new WeightedOverflowScheduler();
        ovf.destinationsChanged(t);
        int[] seq = new int[7];
        for (int i = 0; i < seq.length; i++) {
            seq[i] = ovf.select(t, Tables.fromClient(1, 1));
            if (seq[i] >= 0) {
                t.connectionBound(seq[i], true);
            }
        }
        // B takes 4 (active ≤ weight 3 is checked before the new one), then A takes 3, then nothing.
        assertThat(seq).containsExactly(1, 1, 1, 1, 0, 0, 0);
        assertThat(ovf.select(t, Tables.fromClient(1, 1))).isEqualTo(Scheduler.NO_DESTINATION);
    }

    @Test
    void twosPicksOnlyAvailableDestinationsAndPrefersTheLessLoaded() {
        DestinationArray t = weights(1, 0, 1);
        t.setConnections(0, 100, 0);
        Scheduler twos = new PowerOfTwoChoicesScheduler(42);
        twos.destinationsChanged(t);
        int[] h = Tables.histogram(twos, t, 10_000);
        assertThat(h[1]).isZero();
        // r ∈ [0, Σw = 2] inclusive, so one draw lands on 0 with p = 2/3; the idle 2 wins whenever either draw
        // lands on it: 1 − (2/3)² = 5/9, where a single weighted draw would give 1/3.
        assertThat(h[2] / 10_000.0).isBetween(0.53, 0.58);
    }

    @Test
    void twosOnIdleServersFollowsTheWeights() {
        DestinationArray t = weights(1, 3);
        Scheduler twos = new PowerOfTwoChoicesScheduler(7);
        twos.destinationsChanged(t);
        int[] h = Tables.histogram(twos, t, 40_000);
        // equal (zero) overhead: the first draw wins. r ∈ [0, 4] inclusive and r ≤ 1 lands on the first
        // destination (ip_vs_twos subtracts weights until r ≤ 0), so P = 3/5 rather than 3/4.
        assertThat(h[1] / (double) (h[0] + h[1])).isBetween(0.58, 0.63);
        assertThat(pick(new PowerOfTwoChoicesScheduler(1), weights(0, 0))).isEqualTo(Scheduler.NO_DESTINATION);
    }
}
