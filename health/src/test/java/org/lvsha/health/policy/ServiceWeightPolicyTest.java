package org.lvsha.health.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.lvsha.health.check.DynamicWeight;
import org.lvsha.health.config.FailureAction;
import org.lvsha.health.config.Quorum;
import org.lvsha.health.config.RealServerHealth;
import org.lvsha.health.config.ServiceHealth;
import org.lvsha.health.config.TcpCheck;
import org.lvsha.health.event.HealthEvent.Kind;
import org.lvsha.health.policy.ServiceWeightPolicy.Decisions;
import org.lvsha.health.sink.DesiredDestination;
import org.lvsha.health.sink.DesiredDestination.Reason;

class ServiceWeightPolicyTest {
    private static final long S = 1_000_000_000L;
    private static final TcpCheck TCP = new TcpCheck(null, null);
    private static final RealServerHealth RS1 = RealServerHealth.of("192.0.2.11", 80, 10, TCP);
    private static final RealServerHealth RS2 = RealServerHealth.of("192.0.2.12", 80, 20, TCP);
    private static final RealServerHealth RS3 = RealServerHealth.of("192.0.2.13", 80, 30, TCP);
    private static final RealServerHealth SORRY = RealServerHealth.of("192.0.2.99", 80, 1);

    private static ServiceHealth service(FailureAction onFailure, Duration slowStart, int steps, Quorum quorum, RealServerHealth sorry,
                                         RealServerHealth... servers) {
        return new ServiceHealth("tcp:203.0.113.100:80", onFailure, null, slowStart, steps, quorum, sorry, List.of(servers));
    }

    private static ServiceHealth plain(FailureAction onFailure, RealServerHealth... servers) {
        return service(onFailure, Duration.ZERO, 1, null, null, servers);
    }

    private static DesiredDestination only(Decisions d) {
        assertThat(d.changed()).hasSize(1);
        return d.changed().get(0);
    }

    private static DesiredDestination of(List<DesiredDestination> table, RealServerHealth rs) {
        return table.stream().filter(d -> d.realServerId().equals(rs.id())).findFirst().orElseThrow();
    }

    @Test
    void aServerNotYetCheckedGetsNoTrafficButStaysInTheTableWhenInhibiting() {
        var p = new ServiceWeightPolicy(plain(FailureAction.inhibit, RS1));
        DesiredDestination d = of(p.table(0), RS1);
        assertThat(d.present()).isTrue();
        assertThat(d.weight()).isZero();
        assertThat(d.reason()).isEqualTo(Reason.NOT_CHECKED);
    }

    @Test
    void aServerNotYetCheckedIsAbsentWhenFailuresRemove() {
        var p = new ServiceWeightPolicy(plain(FailureAction.remove, RS1));
        assertThat(of(p.table(0), RS1).present()).isFalse();
    }

    @Test
    void aServerWithoutChecksIsUpFromTheStart() {
        var unchecked = RealServerHealth.of("192.0.2.14", 80, 7);
        var p = new ServiceWeightPolicy(plain(FailureAction.inhibit, unchecked));
        assertThat(of(p.table(0), unchecked)).extracting(DesiredDestination::weight, DesiredDestination::reason).containsExactly(7, Reason.HEALTHY);
    }

    @Test
    void theFirstVerdictAtStartUpGivesFullWeightWithoutSlowStart() {
        var p = new ServiceWeightPolicy(service(FailureAction.inhibit, Duration.ofSeconds(10), 10, null, null, RS1));
        p.table(0);
        Decisions d = p.onHealth(RS1.id(), true, "ok", S);
        assertThat(only(d)).extracting(DesiredDestination::weight, DesiredDestination::reason).containsExactly(10, Reason.HEALTHY);
        assertThat(d.events()).extracting(e -> e.kind()).containsExactly(Kind.SERVER_UP);
    }

    @Test
    void aFailedServerIsInhibitedToWeightZeroAndKept() {
        var p = new ServiceWeightPolicy(plain(FailureAction.inhibit, RS1));
        p.table(0);
        p.onHealth(RS1.id(), true, "ok", S);
        Decisions d = p.onHealth(RS1.id(), false, "connection refused", 2 * S);
        DesiredDestination dd = only(d);
        assertThat(dd.present()).isTrue();
        assertThat(dd.weight()).isZero();
        assertThat(dd.reason()).isEqualTo(Reason.CHECK_FAILED);
        assertThat(d.events()).singleElement().satisfies(e -> {
            assertThat(e.kind()).isEqualTo(Kind.SERVER_DOWN);
            assertThat(e.detail()).isEqualTo("connection refused");
        });
    }

    @Test
    void aFailedServerIsRemovedWhenTheServiceSaysSo() {
        var p = new ServiceWeightPolicy(plain(FailureAction.remove, RS1));
        p.table(0);
        p.onHealth(RS1.id(), true, "ok", S);
        DesiredDestination dd = only(p.onHealth(RS1.id(), false, "timeout", 2 * S));
        assertThat(dd.present()).isFalse();
        assertThat(dd.reason()).isEqualTo(Reason.CHECK_FAILED);
    }

    @Test
    void everyChangeCarriesTheWholeDestination() {
        var p = new ServiceWeightPolicy(plain(FailureAction.inhibit, RS1));
        p.table(0);
        DesiredDestination dd = only(p.onHealth(RS1.id(), true, "ok", S));
        assertThat(dd).isEqualTo(new DesiredDestination("tcp:203.0.113.100:80", "192.0.2.11:80", "192.0.2.11", 80, true, 10, Reason.HEALTHY));
    }

    @Test
    void aRepeatedVerdictChangesNothing() {
        var p = new ServiceWeightPolicy(plain(FailureAction.inhibit, RS1));
        p.table(0);
        p.onHealth(RS1.id(), true, "ok", S);
        assertThat(p.onHealth(RS1.id(), true, "ok", 2 * S).isEmpty()).isTrue();
        assertThat(p.onDynamicWeight(RS1.id(), null, 2 * S).isEmpty()).isTrue();
    }

    /** Slow start over 10 s in 5 steps to weight 10: 2, 4, 6, 8 from t = 0, 2, 4, 6 s, then 10 from 8 s. */
    @ParameterizedTest(name = "{0} ms after recovery the weight is {1}")
    @CsvSource({"0,2", "1999,2", "2000,4", "5000,6", "7999,8", "8000,10", "9999,10", "60000,10"})
    void aRecoveredServerRampsLinearlyInStepsToItsWeight(long ms, int weight) {
        var p = new ServiceWeightPolicy(service(FailureAction.inhibit, Duration.ofSeconds(10), 5, null, null, RS1));
        p.table(0);
        p.onHealth(RS1.id(), true, "ok", 0);
        p.onHealth(RS1.id(), false, "refused", S);
        long t0 = 5 * S;
        DesiredDestination first = only(p.onHealth(RS1.id(), true, "ok", t0));
        assertThat(first).extracting(DesiredDestination::weight, DesiredDestination::reason).containsExactly(2, Reason.SLOW_START);
        long now = t0 + ms * 1_000_000L;
        p.onTick(now);
        DesiredDestination d = of(p.table(now), RS1);
        assertThat(d.weight()).isEqualTo(weight);
        assertThat(d.reason()).isEqualTo(weight == 10 ? Reason.HEALTHY : Reason.SLOW_START);
    }

    @Test
    void theOwnerIsToldWhenTheNextRampStepIsDueAndNothingOnceTheRampEnds() {
        var p = new ServiceWeightPolicy(service(FailureAction.inhibit, Duration.ofSeconds(10), 5, null, null, RS1));
        p.table(0);
        p.onHealth(RS1.id(), true, "ok", 0);
        assertThat(p.nextTickAt(0)).isEmpty();
        p.onHealth(RS1.id(), false, "refused", S);
        p.onHealth(RS1.id(), true, "ok", 10 * S);
        assertThat(p.nextTickAt(10 * S)).hasValue(12 * S);
        assertThat(only(p.onTick(12 * S)).weight()).isEqualTo(4);
        assertThat(p.nextTickAt(12 * S)).hasValue(14 * S);
        assertThat(p.onTick(13 * S).isEmpty()).isTrue();
        assertThat(only(p.onTick(20 * S)).weight()).isEqualTo(10);
        assertThat(p.nextTickAt(20 * S)).isEmpty();
    }

    @Test
    void aServerThatFailsDuringSlowStartStopsRampingAndRampsAfreshOnRecovery() {
        var p = new ServiceWeightPolicy(service(FailureAction.inhibit, Duration.ofSeconds(10), 10, null, null, RS1));
        p.table(0);
        p.onHealth(RS1.id(), true, "ok", 0);
        p.onHealth(RS1.id(), false, "x", S);
        p.onHealth(RS1.id(), true, "ok", 2 * S);
        p.onTick(9 * S);
        assertThat(only(p.onHealth(RS1.id(), false, "x", 9 * S)).weight()).isZero();
        assertThat(p.nextTickAt(9 * S)).isEmpty();
        assertThat(only(p.onHealth(RS1.id(), true, "ok", 30 * S)).weight()).isEqualTo(1);
    }

    @ParameterizedTest(name = "weight {0} max {1} reported {2}{3} gives {4}")
    @CsvSource({
            "10,10,50,%,5",
            "10,10,0,%,0",
            "10,10,100,%,10",
            "10,10,300,%,10",
            "10,40,300,%,30",
            "10,40,500,%,40",
            "10,10,7,,7",
            "10,10,70,,10",
            "10,25,70,,25",
            "10,10,15,%,2"})
    void dynamicWeightsAreClampedToTheConfiguredMaximum(int weight, int max, int value, String pct, int expected) {
        var rs = new RealServerHealth(null, "192.0.2.21", 80, weight, max, List.of(TCP));
        var p = new ServiceWeightPolicy(plain(FailureAction.inhibit, rs));
        p.table(0);
        p.onHealth(rs.id(), true, "ok", 0);
        DynamicWeight w = "%".equals(pct) ? DynamicWeight.percentOf(value) : DynamicWeight.absolute(value);
        Decisions d = p.onDynamicWeight(rs.id(), w, S);
        DesiredDestination now = of(p.table(S), rs);
        assertThat(now.weight()).isEqualTo(expected);
        assertThat(now.reason()).isEqualTo(Reason.DYNAMIC_WEIGHT);
        assertThat(d.changed()).hasSize(expected == weight ? 1 : 1);
    }

    @Test
    void aDynamicWeightOfAFailedServerDoesNotBringItBack() {
        var p = new ServiceWeightPolicy(plain(FailureAction.inhibit, RS1));
        p.table(0);
        p.onHealth(RS1.id(), false, "x", 0);
        p.onDynamicWeight(RS1.id(), DynamicWeight.percentOf(80), S);
        assertThat(of(p.table(S), RS1).weight()).isZero();
    }

    @Test
    void drainKeepsTheServerAtWeightZeroAndReadyRestoresItWithoutARamp() {
        var p = new ServiceWeightPolicy(service(FailureAction.inhibit, Duration.ofSeconds(10), 10, null, null, RS1));
        p.table(0);
        p.onHealth(RS1.id(), true, "ok", 0);
        Decisions drained = p.onAdmin(RS1.id(), AdminSource.OPERATOR, AdminState.DRAIN, S);
        assertThat(only(drained)).extracting(DesiredDestination::present, DesiredDestination::weight, DesiredDestination::reason)
                .containsExactly(true, 0, Reason.DRAIN);
        assertThat(drained.events()).extracting(e -> e.kind()).containsExactly(Kind.SERVER_DRAINED);
        Decisions ready = p.onAdmin(RS1.id(), AdminSource.OPERATOR, AdminState.NORMAL, 2 * S);
        assertThat(only(ready).weight()).isEqualTo(10);
        assertThat(ready.events()).extracting(e -> e.kind()).containsExactly(Kind.SERVER_READY);
    }

    @Test
    void maintenanceTakesTheServerOutAndItsReturnRampsUp() {
        var p = new ServiceWeightPolicy(service(FailureAction.inhibit, Duration.ofSeconds(10), 10, null, null, RS1));
        p.table(0);
        p.onHealth(RS1.id(), true, "ok", 0);
        Decisions maint = p.onAdmin(RS1.id(), AdminSource.FILE, AdminState.MAINTENANCE, S);
        assertThat(only(maint)).extracting(DesiredDestination::present, DesiredDestination::reason).containsExactly(false, Reason.MAINTENANCE);
        assertThat(maint.events()).extracting(e -> e.kind()).containsExactly(Kind.SERVER_MAINTENANCE);
        DesiredDestination back = only(p.onAdmin(RS1.id(), AdminSource.FILE, AdminState.NORMAL, 2 * S));
        assertThat(back).extracting(DesiredDestination::present, DesiredDestination::weight, DesiredDestination::reason)
                .containsExactly(true, 1, Reason.SLOW_START);
    }

    @Test
    void maintenanceOutranksFailureSoAFailedServerInMaintenanceIsAbsent() {
        var p = new ServiceWeightPolicy(plain(FailureAction.inhibit, RS1));
        p.table(0);
        p.onHealth(RS1.id(), false, "x", 0);
        assertThat(only(p.onAdmin(RS1.id(), AdminSource.OPERATOR, AdminState.MAINTENANCE, S)).present()).isFalse();
    }

    @Test
    void theMostRestrictiveAdminSourceWins() {
        var p = new ServiceWeightPolicy(plain(FailureAction.inhibit, RS1));
        p.table(0);
        p.onHealth(RS1.id(), true, "ok", 0);
        p.onAdmin(RS1.id(), AdminSource.AGENT, AdminState.DRAIN, S);
        assertThat(only(p.onAdmin(RS1.id(), AdminSource.OPERATOR, AdminState.MAINTENANCE, S)).reason()).isEqualTo(Reason.MAINTENANCE);
        assertThat(only(p.onAdmin(RS1.id(), AdminSource.OPERATOR, AdminState.NORMAL, 2 * S)).reason()).isEqualTo(Reason.DRAIN);
        assertThat(only(p.onAdmin(RS1.id(), AdminSource.AGENT, AdminState.NORMAL, 3 * S)).reason()).isEqualTo(Reason.HEALTHY);
    }

    private ServiceWeightPolicy quorumPolicy(RealServerHealth sorry) {
        // weights 10 + 20 + 30 = 60; lost below 25, regained at 50
        var p = new ServiceWeightPolicy(service(FailureAction.inhibit, Duration.ZERO, 1, new Quorum(50, 25), sorry, RS1, RS2, RS3));
        p.table(0);
        return p;
    }

    @Test
    void quorumIsNotJudgedUntilEveryServerHasAVerdict() {
        var p = quorumPolicy(SORRY);
        Decisions d = p.onHealth(RS1.id(), true, "ok", S);
        assertThat(d.events()).extracting(e -> e.kind()).containsExactly(Kind.SERVER_UP);
        p.onHealth(RS2.id(), false, "x", S);
        assertThat(p.quorumHeld()).isTrue();
        Decisions last = p.onHealth(RS3.id(), false, "x", S);
        assertThat(last.events()).extracting(e -> e.kind()).containsExactly(Kind.SERVER_DOWN, Kind.QUORUM_LOST);
    }

    @Test
    void losingQuorumBringsInTheSorryServerAndParksTheRealServersAtZero() {
        var p = quorumPolicy(SORRY);
        p.onHealth(RS1.id(), true, "ok", S);
        p.onHealth(RS2.id(), true, "ok", S);
        p.onHealth(RS3.id(), true, "ok", S);
        assertThat(p.liveWeight()).isEqualTo(60);
        assertThat(p.onHealth(RS3.id(), false, "x", 2 * S).events()).extracting(e -> e.kind()).containsExactly(Kind.SERVER_DOWN);
        Decisions lost = p.onHealth(RS2.id(), false, "x", 3 * S); // live 10 < 25
        assertThat(lost.events()).extracting(e -> e.kind()).containsExactly(Kind.SERVER_DOWN, Kind.QUORUM_LOST);
        assertThat(of(lost.changed(), SORRY)).extracting(DesiredDestination::present, DesiredDestination::weight, DesiredDestination::reason)
                .containsExactly(true, 1, Reason.SORRY_SERVER_ACTIVE);
        assertThat(of(lost.changed(), RS1)).extracting(DesiredDestination::weight, DesiredDestination::reason).containsExactly(0, Reason.QUORUM_LOST);
    }

    @Test
    void aSinkApplyingChangesInOrderNeverSeesAServiceWithoutALiveDestination() {
        var p = quorumPolicy(SORRY);
        p.onHealth(RS1.id(), true, "ok", S);
        p.onHealth(RS2.id(), false, "x", S);
        p.onHealth(RS3.id(), true, "ok", S);
        // Quorum lost when RS3 fails (live 10 < 25): the sorry server comes in before RS3 and RS1 go to 0.
        Decisions lost = p.onHealth(RS3.id(), false, "x", 2 * S);
        assertThat(lost.changed().get(0)).extracting(DesiredDestination::realServerId, DesiredDestination::weight)
                .containsExactly(SORRY.id(), 1);
        assertThat(lost.changed().subList(1, lost.changed().size())).extracting(DesiredDestination::weight).containsOnly(0);
        // Regained (live 60 >= 50): the real servers get their weights before the sorry server leaves.
        p.onHealth(RS2.id(), true, "ok", 3 * S);
        Decisions back = p.onHealth(RS3.id(), true, "ok", 4 * S);
        assertThat(back.events()).extracting(e -> e.kind()).containsExactly(Kind.SERVER_UP, Kind.QUORUM_REGAINED);
        DesiredDestination last = back.changed().get(back.changed().size() - 1);
        assertThat(last).extracting(DesiredDestination::realServerId, DesiredDestination::present).containsExactly(SORRY.id(), false);
        assertThat(back.changed().subList(0, back.changed().size() - 1)).extracting(DesiredDestination::weight)
                .containsExactly(10, 20, 30);
    }

    @Test
    void theWholeTableListsTheDestinationsThatTakeTrafficFirst() {
        var p = new ServiceWeightPolicy(service(FailureAction.inhibit, Duration.ZERO, 1, null, null, RS1, RS2, RS3));
        p.table(0);
        p.onHealth(RS1.id(), false, "x", S);
        p.onHealth(RS2.id(), true, "ok", S);
        p.onHealth(RS3.id(), true, "ok", S);
        assertThat(p.table(2 * S)).extracting(DesiredDestination::realServerId).containsExactly(RS2.id(), RS3.id(), RS1.id());
    }

    @Test
    void quorumComesBackOnlyAtTheUpperThresholdAndTheSorryServerLeaves() {
        var p = quorumPolicy(SORRY);
        p.onHealth(RS1.id(), true, "ok", S);
        p.onHealth(RS2.id(), false, "x", S);
        p.onHealth(RS3.id(), false, "x", S);
        assertThat(p.quorumHeld()).isFalse();
        Decisions partial = p.onHealth(RS2.id(), true, "ok", 2 * S); // live 30: above down, below up
        assertThat(p.quorumHeld()).isFalse();
        assertThat(partial.events()).extracting(e -> e.kind()).containsExactly(Kind.SERVER_UP);
        assertThat(of(partial.changed(), RS2).weight()).isZero();
        Decisions back = p.onHealth(RS3.id(), true, "ok", 3 * S); // live 60 >= 50
        assertThat(back.events()).extracting(e -> e.kind()).containsExactly(Kind.SERVER_UP, Kind.QUORUM_REGAINED);
        assertThat(of(back.changed(), SORRY)).extracting(DesiredDestination::present, DesiredDestination::reason)
                .containsExactly(false, Reason.SORRY_SERVER_STANDBY);
        assertThat(back.changed()).extracting(DesiredDestination::weight).containsExactlyInAnyOrder(10, 20, 30, 0);
    }

    @Test
    void drainedServersDoNotCountTowardsQuorum() {
        var p = quorumPolicy(SORRY);
        p.onHealth(RS1.id(), true, "ok", S);
        p.onHealth(RS2.id(), true, "ok", S);
        p.onHealth(RS3.id(), true, "ok", S);
        assertThat(p.onAdmin(RS3.id(), AdminSource.OPERATOR, AdminState.DRAIN, 2 * S).events()).hasSize(1); // live 30
        Decisions d = p.onAdmin(RS2.id(), AdminSource.FILE, AdminState.DRAIN, 2 * S); // live 10
        assertThat(d.events()).extracting(e -> e.kind()).containsExactly(Kind.SERVER_DRAINED, Kind.QUORUM_LOST);
    }

    @Test
    void withoutASorryServerLosingQuorumIsReportedButWeightsStay() {
        var p = new ServiceWeightPolicy(service(FailureAction.inhibit, Duration.ZERO, 1, new Quorum(50, 35), null, RS1, RS2, RS3));
        p.table(0);
        p.onHealth(RS1.id(), true, "ok", S);
        p.onHealth(RS2.id(), false, "x", S);
        Decisions lost = p.onHealth(RS3.id(), false, "x", S);
        assertThat(lost.events()).extracting(e -> e.kind()).containsExactly(Kind.SERVER_DOWN, Kind.QUORUM_LOST);
        assertThat(of(p.table(S), RS1).weight()).isEqualTo(10);
    }

    @Test
    void theSorryServerStandsByInTheInitialTable() {
        var p = new ServiceWeightPolicy(service(FailureAction.inhibit, Duration.ZERO, 1, new Quorum(1, 1), SORRY, RS1));
        assertThat(of(p.table(0), SORRY)).extracting(DesiredDestination::present, DesiredDestination::reason)
                .containsExactly(false, Reason.SORRY_SERVER_STANDBY);
    }

    @Test
    void anUnknownRealServerIsRefusedWithItsName() {
        var p = new ServiceWeightPolicy(plain(FailureAction.inhibit, RS1));
        assertThatThrownBy(() -> p.onHealth("192.0.2.200:80", true, "ok", 0)).hasMessageContaining("192.0.2.200:80");
    }

    @Test
    void aReloadCarriesVerdictsWeightsDrainsAndRampsOfServersThatStay() {
        var before = new ServiceWeightPolicy(service(FailureAction.inhibit, Duration.ofSeconds(10), 5, null, null, RS1, RS2, RS3));
        before.table(0);
        before.onHealth(RS1.id(), true, "ok", 0);
        before.onDynamicWeight(RS1.id(), DynamicWeight.percentOf(50), 0);
        before.onHealth(RS2.id(), true, "ok", 0);
        before.onAdmin(RS2.id(), AdminSource.OPERATOR, AdminState.DRAIN, 0);
        before.onHealth(RS3.id(), false, "x", 0);
        before.onHealth(RS3.id(), true, "ok", 4 * S); // ramping from 4 s
        var rs4 = RealServerHealth.of("192.0.2.14", 80, 10, TCP);
        var after = new ServiceWeightPolicy(service(FailureAction.inhibit, Duration.ofSeconds(10), 5, null, null, RS1, RS2, RS3, rs4),
                before.state());
        List<DesiredDestination> table = after.table(6 * S);
        assertThat(of(table, RS1)).extracting(DesiredDestination::weight, DesiredDestination::reason).containsExactly(5, Reason.DYNAMIC_WEIGHT);
        assertThat(of(table, RS2)).extracting(DesiredDestination::weight, DesiredDestination::reason).containsExactly(0, Reason.DRAIN);
        assertThat(of(table, RS3)).extracting(DesiredDestination::weight, DesiredDestination::reason).containsExactly(12, Reason.SLOW_START);
        assertThat(of(table, rs4)).extracting(DesiredDestination::weight, DesiredDestination::reason).containsExactly(0, Reason.NOT_CHECKED);
        assertThat(after.nextTickAt(6 * S)).hasValue(8 * S);
        assertThat(after.onHealth(RS1.id(), true, "ok", 7 * S).isEmpty()).isTrue();
    }

    @Test
    void aReloadCarriesALostQuorum() {
        var before = quorumPolicy(SORRY);
        before.onHealth(RS1.id(), true, "ok", S);
        before.onHealth(RS2.id(), false, "x", S);
        before.onHealth(RS3.id(), false, "x", S);
        var after = new ServiceWeightPolicy(service(FailureAction.inhibit, Duration.ZERO, 1, new Quorum(50, 25), SORRY, RS1, RS2, RS3),
                before.state());
        assertThat(after.quorumHeld()).isFalse();
        assertThat(of(after.table(2 * S), SORRY).present()).isTrue();
    }
}
