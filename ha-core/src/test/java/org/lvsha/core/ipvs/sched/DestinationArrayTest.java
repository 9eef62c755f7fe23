package org.lvsha.core.ipvs.sched;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The overload rule of ip_vs_bind_dest / ip_vs_unbind_dest (§4 common rules). */
class DestinationArrayTest {

    @Test
    void upperThresholdSetsOverloadAndTheLowerOneClearsIt() {
        DestinationArray t = Tables.weights(1);
        t.setThresholds(0, 4, 2);
        for (int i = 0; i < 3; i++) {
            t.connectionBound(0, true);
        }
        assertThat(t.overloaded(0)).isFalse();
        t.connectionBound(0, false); // total 4 ≥ 4
        assertThat(t.overloaded(0)).isTrue();
        t.connectionUnbound(0, true); // 3
        t.connectionUnbound(0, true); // 2: not under 2 yet
        assertThat(t.overloaded(0)).isTrue();
        t.connectionUnbound(0, false); // 1 < 2
        assertThat(t.overloaded(0)).isFalse();
    }

    @Test
    void withoutALowerThresholdOverloadClearsUnderThreeQuartersOfTheUpper() {
        DestinationArray t = Tables.weights(1);
        t.setThresholds(0, 8, 0);
        for (int i = 0; i < 8; i++) {
            t.connectionBound(0, true);
        }
        assertThat(t.overloaded(0)).isTrue();
        t.connectionUnbound(0, true); // 7
        t.connectionUnbound(0, true); // 6 = 3/4 of 8: not under
        assertThat(t.overloaded(0)).isTrue();
        t.connectionUnbound(0, true); // 5 * 4 < 8 * 3
        assertThat(t.overloaded(0)).isFalse();
    }

    @Test
    void noUpperThresholdNeverOverloads() {
        DestinationArray t = Tables.weights(1);
        for (int i = 0; i < 1000; i++) {
            t.connectionBound(0, true);
        }
        assertThat(t.overloaded(0)).isFalse();
        assertThat(t.overhead(0)).isEqualTo(1000L * 256);
    }

    @Test
    void lastWeightRemembersThePositiveWeightOfAQuiescedServer() {
        DestinationArray t = Tables.weights(5);
        t.setWeight(0, 0);
        assertThat(t.weight(0)).isZero();
        assertThat(t.lastWeight(0)).isEqualTo(5);
        assertThat(t.available(0)).isFalse();
    }

    @Test
    void buildsFromAListingInOrder() {
        var list = java.util.List.of(
                new org.lvsha.core.ipvs.DestinationStatus(org.lvsha.core.ipvs.Destination.of(
                        org.lvsha.core.ipvs.AddressText.parse("10.0.0.11"), 80, org.lvsha.core.ipvs.ForwardingMethod.ROUTE, 3)
                        .withThresholds(10, 5), 2, 7, 0, org.lvsha.core.ipvs.Stats.ZERO, org.lvsha.core.ipvs.Rates.ZERO),
                org.lvsha.core.ipvs.DestinationStatus.idle(org.lvsha.core.ipvs.Destination.of(
                        org.lvsha.core.ipvs.AddressText.parse("2001:db8::1"), 8080, org.lvsha.core.ipvs.ForwardingMethod.TUNNEL, 1)));
        DestinationArray t = DestinationArray.of(list);
        assertThat(t.size()).isEqualTo(2);
        assertThat(t.weight(0)).isEqualTo(3);
        assertThat(t.overhead(0)).isEqualTo(2 * 256 + 7);
        assertThat(t.address(1)).hasSize(16);
        assertThat(t.port(1)).isEqualTo(8080);
    }
}
