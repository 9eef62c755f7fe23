package org.lvsha.core.ipvs.sched;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;

import org.junit.jupiter.api.Test;

/** The lblc/lblcr cache keeps every live entry findable through growth, expiry and renumbering. */
class LocalityCacheTest {

    @Test
    void expiryRemovesExactlyTheIdleEntriesAndKeepsTheRestFindable() {
        LocalityCache c = new LocalityCache(4);
        Random r = new Random(1);
        int n = 5000;
        long[] keys = new long[n];
        for (int i = 0; i < n; i++) {
            keys[i] = r.nextLong();
            int slot = c.insert(0, keys[i], i % 2 == 0 ? 10 : 1000);
            c.setDestination(slot, i % 4);
        }
        assertThat(c.size()).isEqualTo(n);
        c.expire(500, Integer.MAX_VALUE, Long.MIN_VALUE);
        assertThat(c.size()).isEqualTo(n / 2);
        for (int i = 0; i < n; i++) {
            int slot = c.find(0, keys[i]);
            if (i % 2 == 0) {
                assertThat(slot).isEqualTo(-1);
            } else {
                assertThat(slot).isNotNegative();
                assertThat(c.destination(slot)).isEqualTo(i % 4);
            }
        }
    }

    @Test
    void crowdedCachesExpireSooner() {
        LocalityCache c = new LocalityCache(1);
        for (int i = 0; i < 10; i++) {
            c.insert(0, i, i < 5 ? 100 : 900);
        }
        c.expire(0, 20, 500);
        assertThat(c.size()).isEqualTo(10);
        c.expire(0, 8, 500);
        assertThat(c.size()).isEqualTo(5);
    }

    @Test
    void renumberingFollowsDestinationsAndDropsRemovedOnes() {
        LocalityCache c = new LocalityCache(3);
        int a = c.insert(0, 1, 0);
        c.setDestination(a, 2);
        c.addMember(a, 0, 0);
        c.addMember(a, 2, 0);
        c.renumber(new int[] {-1, 0, 1}, 2);
        int slot = c.find(0, 1);
        assertThat(c.destination(slot)).isEqualTo(1);
        assertThat(c.memberCount(slot)).isEqualTo(1);
        assertThat(c.isMember(slot, 1)).isTrue();
    }
}
