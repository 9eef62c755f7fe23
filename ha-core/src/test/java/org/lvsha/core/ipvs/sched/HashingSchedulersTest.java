package org.lvsha.core.ipvs.sched;

import static org.assertj.core.api.Assertions.assertThat;
import static org.lvsha.core.ipvs.sched.Tables.fromClient;
import static org.lvsha.core.ipvs.sched.Tables.weights;

import org.junit.jupiter.api.Test;

/** sh, dh and mh (§4): stable mappings, weights, fallback, minimal disruption. */
class HashingSchedulersTest {

    private static Scheduler ready(Scheduler s, DestinationTable t) {
        s.destinationsChanged(t);
        return s;
    }

    @Test
    void shBucketIsTheKernelsHash32OfPortPlusAddress() {
        // hash_32(v, 8) = (v * 0x61C88647) >>> 24
        assertThat(SourceHashingScheduler.hash32(0xC6336401, 8)).isEqualTo((int) ((0xC6336401L * 0x61C88647L & 0xffffffffL) >>> 24));
    }

    @Test
    void shMapsASourceAlwaysToTheSameServerAndIgnoresThePortByDefault() {
        DestinationArray t = weights(1, 1, 1, 1);
        Scheduler sh = ready(new SourceHashingScheduler(false, false), t);
        for (int c = 1; c < 200; c++) {
            int d = sh.select(t, fromClient(c, 1000));
            assertThat(sh.select(t, fromClient(c, 2000))).isEqualTo(d);
            assertThat(sh.select(t, fromClient(c, 1000))).isEqualTo(d);
        }
    }

    @Test
    void shPortFlagSpreadsOneSourceOverServers() {
        DestinationArray t = weights(1, 1, 1, 1);
        Scheduler sh = ready(new SourceHashingScheduler(false, true), t);
        int[] h = new int[4];
        for (int port = 1024; port < 1024 + 400; port++) {
            h[sh.select(t, fromClient(7, port))]++;
        }
        assertThat(java.util.Arrays.stream(h).boxed().toList()).allSatisfy(n -> assertThat(n).isGreaterThan(50));
    }

    @Test
    void shGivesEachServerWeightManyConsecutiveBuckets() {
        DestinationArray t = weights(3, 1);
        Scheduler sh = ready(new SourceHashingScheduler(false, false), t);
        int[] h = new int[2];
        for (int c = 0; c < 4096; c++) {
            h[sh.select(t, fromClient(c, 1))]++;
        }
        // buckets 0-2 → A, 3 → B, repeating: 192 vs 64 of 256
        assertThat(h[0] / (double) (h[0] + h[1])).isBetween(0.70, 0.80);
    }

    @Test
    void shWithoutFallbackDropsFlowsOfAnUnavailableServerAndWithFallbackMovesOnlyThose() {
        DestinationArray t = weights(1, 1, 1);
        Scheduler plain = ready(new SourceHashingScheduler(false, false), t);
        Scheduler fallback = ready(new SourceHashingScheduler(true, false), t);
        int[] before = new int[300];
        for (int c = 0; c < before.length; c++) {
            before[c] = plain.select(t, fromClient(c, 1));
        }
        t.setWeight(1, 0); // quiesce B: the table is not rebuilt until destinationsChanged
        for (int c = 0; c < before.length; c++) {
            int p = plain.select(t, fromClient(c, 1));
            int f = fallback.select(t, fromClient(c, 1));
            if (before[c] == 1) {
                assertThat(p).isEqualTo(Scheduler.NO_DESTINATION);
                assertThat(f).isIn(0, 2);
            } else {
                assertThat(p).isEqualTo(before[c]);
                assertThat(f).isEqualTo(before[c]);
            }
        }
    }

    @Test
    void dhMapsADestinationAddressToOneServerRoundRobinBuckets() {
        DestinationArray t = weights(1, 1, 1);
        Scheduler dh = ready(new DestinationHashingScheduler(), t);
        int[] h = new int[3];
        for (int d = 0; d < 3000; d++) {
            int pick = dh.select(t, Tables.toDestination(d, 0));
            assertThat(dh.select(t, Tables.toDestination(d, 0))).isEqualTo(pick);
            h[pick]++;
        }
        assertThat(java.util.Arrays.stream(h).boxed().toList()).allSatisfy(n -> assertThat(n).isBetween(800, 1200));
        t.setWeight(0, 0);
        for (int d = 0; d < 300; d++) {
            int pick = dh.select(t, Tables.toDestination(d, 0));
            assertThat(pick).isNotEqualTo(0);
        }
    }

    @Test
    void mhDefaultsToTheKernelsTableSizeAndAccepts251() {
        assertThat(new MaglevHashingScheduler(false, false).tableSize()).isEqualTo(4093);
        assertThat(new MaglevHashingScheduler(false, false, 251).tableSize()).isEqualTo(251);
    }

    @Test
    void mhFillsTheTableInProportionToWeight() {
        DestinationArray t = weights(1, 2, 3, 4);
        MaglevHashingScheduler mh = new MaglevHashingScheduler(false, false);
        mh.destinationsChanged(t);
        int[] slots = new int[4];
        for (int i = 0; i < mh.tableSize(); i++) {
            slots[mh.slot(i)]++;
        }
        for (int d = 0; d < 4; d++) {
            assertThat(slots[d] / (double) mh.tableSize()).isCloseTo((d + 1) / 10.0, org.assertj.core.data.Offset.offset(0.01));
        }
    }

    @Test
    void mhRemovingOneServerMovesOnlyAboutItsShareOfFlows() {
        DestinationArray t = weights(1, 1, 1, 1, 1);
        MaglevHashingScheduler mh = new MaglevHashingScheduler(false, false);
        mh.destinationsChanged(t);
        int flows = 5000;
        byte[][] before = new byte[flows][];
        for (int c = 0; c < flows; c++) {
            before[c] = t.address(mh.select(t, fromClient(c, 1)));
        }
        t.remove(2);
        mh.destinationsChanged(t);
        int moved = 0;
        int movedOffRemoved = 0;
        for (int c = 0; c < flows; c++) {
            byte[] now = t.address(mh.select(t, fromClient(c, 1)));
            if (!java.util.Arrays.equals(now, before[c])) {
                moved++;
                if (before[c][3] == 3) {
                    movedOffRemoved++;
                }
            }
        }
        // Every flow of the removed server moves (≈ 1/5); Maglev moves few others.
        assertThat(movedOffRemoved).isBetween(800, 1200);
        assertThat(moved - movedOffRemoved).isLessThan(flows / 20);
    }

    @Test
    void mhKeepsTheSlotsOfAQuiescedServerAndFallbackMovesOnlyItsFlows() {
        DestinationArray t = weights(2, 2, 2);
        MaglevHashingScheduler plain = new MaglevHashingScheduler(false, false);
        MaglevHashingScheduler fallback = new MaglevHashingScheduler(true, false);
        plain.destinationsChanged(t);
        fallback.destinationsChanged(t);
        int[] before = new int[2000];
        for (int c = 0; c < before.length; c++) {
            before[c] = plain.select(t, fromClient(c, 1));
        }
        t.setWeight(0, 0); // last weight stays 2: the layout does not change
        plain.destinationsChanged(t);
        fallback.destinationsChanged(t);
        for (int c = 0; c < before.length; c++) {
            int p = plain.select(t, fromClient(c, 1));
            int f = fallback.select(t, fromClient(c, 1));
            if (before[c] == 0) {
                assertThat(p).isEqualTo(Scheduler.NO_DESTINATION);
                assertThat(f).isIn(1, 2);
            } else {
                assertThat(p).isEqualTo(before[c]);
                assertThat(f).isEqualTo(before[c]);
            }
        }
    }

    @Test
    void mhPortFlagHashesTheSourcePortToo() {
        DestinationArray t = weights(1, 1, 1, 1);
        Scheduler withoutPort = ready(new MaglevHashingScheduler(false, false), t);
        Scheduler withPort = ready(new MaglevHashingScheduler(false, true), t);
        java.util.Set<Integer> a = new java.util.HashSet<>();
        java.util.Set<Integer> b = new java.util.HashSet<>();
        for (int port = 1000; port < 1100; port++) {
            a.add(withoutPort.select(t, fromClient(9, port)));
            b.add(withPort.select(t, fromClient(9, port)));
        }
        assertThat(a).hasSize(1);
        assertThat(b).hasSize(4);
    }

    @Test
    void schedulersFactoryKnowsEveryKernelScheduler() {
        for (String name : Schedulers.NAMES) {
            Scheduler s = Schedulers.create(name, 0);
            assertThat(s.name()).isEqualTo(name);
            DestinationArray t = weights(1, 2);
            s.destinationsChanged(t);
            assertThat(s.select(t, fromClient(1, 1))).isBetween(0, 1);
        }
    }
}
