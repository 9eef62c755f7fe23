package org.lvsha.core.ipvs.sched;

import static org.assertj.core.api.Assertions.assertThat;
import static org.lvsha.core.ipvs.sched.Tables.toDestination;
import static org.lvsha.core.ipvs.sched.Tables.weights;

import org.junit.jupiter.api.Test;

/** lblc and lblcr (§4): per-destination-IP caches. */
class LocalitySchedulersTest {

    @Test
    void lblcKeepsADestinationIpOnItsServerWhileThatServerIsFit() {
        DestinationArray t = weights(1, 1, 1);
        LocalityBasedLeastConnectionScheduler lblc = new LocalityBasedLeastConnectionScheduler();
        lblc.destinationsChanged(t);
        int first = lblc.select(t, toDestination(5, 0));
        t.connectionBound(first, true); // wlc alone would now move on
        assertThat(lblc.select(t, toDestination(5, 1000))).isEqualTo(first);
        assertThat(lblc.select(t, toDestination(6, 1000))).isNotEqualTo(first);
    }

    @Test
    void lblcReschedulesWhenTheCachedServerIsQuiescedOrOverloadedInItsSense() {
        DestinationArray t = weights(2, 2);
        LocalityBasedLeastConnectionScheduler lblc = new LocalityBasedLeastConnectionScheduler();
        lblc.destinationsChanged(t);
        int first = lblc.select(t, toDestination(5, 0));
        int other = 1 - first;
        // active 3 > weight 2 while the other has 2×0 < 2: overloaded for lblc
        t.setConnections(first, 3, 0);
        assertThat(lblc.select(t, toDestination(5, 1))).isEqualTo(other);
        // now cached on 'other'; quiesce it
        t.setConnections(first, 0, 0);
        t.setWeight(other, 0);
        assertThat(lblc.select(t, toDestination(5, 2))).isEqualTo(first);
    }

    @Test
    void lblcFollowsItsServerAcrossListChanges() {
        DestinationArray t = weights(1, 1, 1);
        LocalityBasedLeastConnectionScheduler lblc = new LocalityBasedLeastConnectionScheduler();
        lblc.destinationsChanged(t);
        t.setConnections(0, 5, 0);
        t.setConnections(1, 5, 0);
        int chosen = lblc.select(t, toDestination(9, 0));
        assertThat(chosen).isEqualTo(2);
        t.remove(0);
        lblc.destinationsChanged(t);
        t.setConnections(0, 0, 0); // the old 1, now idle: wlc would pick it
        assertThat(lblc.select(t, toDestination(9, 1))).isEqualTo(1); // still the same server, now at index 1
    }

    @Test
    void lblcForgetsEntriesIdleForADay() {
        DestinationArray t = weights(1, 1);
        LocalityBasedLeastConnectionScheduler lblc = new LocalityBasedLeastConnectionScheduler();
        lblc.destinationsChanged(t);
        for (int d = 0; d < 100; d++) {
            lblc.select(t, toDestination(d, 0));
        }
        assertThat(lblc.cachedEntries()).isEqualTo(100);
        lblc.select(t, toDestination(1000, 24L * 3600 * 1000 - 1));
        assertThat(lblc.cachedEntries()).isEqualTo(101);
        lblc.select(t, toDestination(1001, 24L * 3600 * 1000 + 60_001));
        assertThat(lblc.cachedEntries()).isEqualTo(2);
    }

    @Test
    void lblcrAddsAServerToTheSetWhenItsBestMemberIsOverloaded() {
        DestinationArray t = weights(2, 2, 2);
        LocalityBasedLeastConnectionReplicationScheduler lblcr = new LocalityBasedLeastConnectionReplicationScheduler();
        lblcr.destinationsChanged(t);
        FlowKey f = toDestination(5, 0);
        int first = lblcr.select(t, f);
        assertThat(lblcr.memberCount(f)).isEqualTo(1);
        t.setConnections(first, 3, 0); // active > weight while others are idle
        int second = lblcr.select(t, toDestination(5, 1));
        assertThat(second).isNotEqualTo(first);
        assertThat(lblcr.memberCount(f)).isEqualTo(2);
        // the set now serves from its least loaded member
        assertThat(lblcr.select(t, toDestination(5, 2))).isEqualTo(second);
    }

    @Test
    void lblcrDropsTheMostLoadedMemberOfASetUnchangedForADay() {
        DestinationArray t = weights(2, 2, 2);
        LocalityBasedLeastConnectionReplicationScheduler lblcr = new LocalityBasedLeastConnectionReplicationScheduler();
        lblcr.destinationsChanged(t);
        int first = lblcr.select(t, toDestination(5, 0));
        t.setConnections(first, 3, 0);
        lblcr.select(t, toDestination(5, 1));
        assertThat(lblcr.memberCount(toDestination(5, 0))).isEqualTo(2);
        long later = 24L * 3600 * 1000 + 10;
        lblcr.select(t, toDestination(5, later - 1)); // keep the entry in use
        lblcr.select(t, toDestination(5, later));
        assertThat(lblcr.memberCount(toDestination(5, 0))).isEqualTo(1);
    }
}
