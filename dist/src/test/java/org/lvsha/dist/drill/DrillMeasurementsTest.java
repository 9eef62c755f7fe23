package org.lvsha.dist.drill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.lvsha.dist.drill.DrillResult.Outage;
import org.lvsha.dist.drill.DrillResult.Verdict;
import org.lvsha.dist.drill.TimelineEvent.Marker;
import org.lvsha.dist.drill.TimelineEvent.SyncLag;
import org.lvsha.dist.drill.TimelineEvent.VrrpRole;
import org.lvsha.dist.drill.TimelineEvent.VrrpTransition;

class DrillMeasurementsTest {
    private static DrillResult analyze(SyntheticLog s, List<TimelineEvent> events, Expectation e) {
        return DrillMeasurements.analyze("t", s.log, events, 51, 200, e);
    }

    private static DrillResult analyze(SyntheticLog s) {
        return analyze(s, List.of(), Expectation.NONE);
    }

    /** Attempts every 5 ms from 0: O ok, X refused, T timed out. */
    @ParameterizedTest(name = "{0}")
    @CsvSource({
            // pattern,            outages, worst gap ms, worst without-VIP ms, recovered, failed attempts
            "OOOOOOOO,             0,       0,            0,                    true,      0",
            "OOOXXXXOOO,           1,       20,           25,                   true,      4",
            "OOXTTOOO,             1,       15,           20,                   true,      3",
            "OXOOXXXOO,            2,       15,           20,                   true,      4",
            // Failing from the very first attempt: nothing before, so without-VIP equals the gap.
            "XXXOOO,               1,       15,           15,                   true,      3",
            // Still failing when the traffic ended (end at 100 ms): bounded by the end, not recovered.
            "OOOXXX,               1,       85,           90,                   false,     3",
    })
    void outagesAreRunsOfFailedAttemptsInStartOrderBracketedByTheSuccessesAroundThem(
            String pattern, int outages, double gapMs, double withoutMs, boolean recovered, int failed) {
        DrillResult r = analyze(new SyntheticLog(100).pattern(0, 5, pattern.strip()));
        assertThat(r.outages()).hasSize(outages);
        assertThat(r.requests().failedAttempts()).isEqualTo(failed);
        Outage worst = r.worstOutage();
        if (outages == 0) {
            assertThat(worst).isNull();
            return;
        }
        assertThat(worst.gapNanos() / 1e6).isCloseTo(gapMs, within(1e-6));
        assertThat(worst.withoutVipNanos() / 1e6).isCloseTo(withoutMs, within(1e-6));
        assertThat(worst.recovered()).isEqualTo(recovered);
    }

    @Test
    void attemptsAreOrderedByStartTimeNotByWhenTheyWereLogged() {
        // A timeout logged late (it started at 10 ms) must not split the successes around it.
        SyntheticLog s = new SyntheticLog(100)
                .attempt(0, 0, 0, RequestOutcome.OK, "rs1")
                .attempt(2, 0, 20, RequestOutcome.OK, "rs1")
                .attempt(1, 0, 10, RequestOutcome.TIMEOUT, null)
                .attempt(3, 0, 30, RequestOutcome.OK, "rs1");
        DrillResult r = analyze(s);
        assertThat(r.outages()).singleElement().satisfies(o -> {
            assertThat(o.firstFailNanos()).isEqualTo(SyntheticLog.at(10));
            assertThat(o.firstOkNanos()).isEqualTo(SyntheticLog.at(20));
            assertThat(o.lastOkNanos()).isEqualTo(SyntheticLog.at(0));
        });
    }

    @Test
    void aResetCountsWhenItArrivedNotWhenItsRequestStarted() {
        // A request accepted at 10 ms and reset at 40 ms (its server died then) must not date the outage at 10 ms.
        SyntheticLog s = new SyntheticLog(100)
                .attempt(0, 0, 0, RequestOutcome.OK, "rs1")
                .attempt(2, 0, 20, RequestOutcome.OK, "rs1");
        int row = s.log.beginAttempt(1, 0, SyntheticLog.at(10));
        s.log.finishAttempt(row, SyntheticLog.at(40), RequestOutcome.RESET, TrafficLog.NO_SERVER);
        s.attempt(3, 0, 45, RequestOutcome.REFUSED, null).attempt(4, 0, 50, RequestOutcome.OK, "rs1");
        DrillResult r = analyze(s);
        assertThat(r.outages()).singleElement().satisfies(o -> {
            assertThat(o.lastOkNanos()).isEqualTo(SyntheticLog.at(20));
            assertThat(o.firstFailNanos()).isEqualTo(SyntheticLog.at(40));
            assertThat(o.gapNanos()).isEqualTo(10_000_000L);
            assertThat(o.failedAttempts()).isEqualTo(2);
        });
        assertThat(r.buckets().failed()).containsExactly(0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0);
    }

    @Test
    void aRequestWhoseFirstAttemptFailedIsFailedRetriedAndRecoveredOrLost() {
        SyntheticLog s = new SyntheticLog(100)
                .attempt(0, 0, 0, RequestOutcome.OK, "rs1")
                .attempt(1, 0, 5, RequestOutcome.REFUSED, null)
                .attempt(1, 1, 15, RequestOutcome.OK, "rs2")
                .attempt(2, 0, 10, RequestOutcome.TIMEOUT, null)
                .attempt(2, 1, 1020, RequestOutcome.RESET, null);
        var q = analyze(s).requests();
        assertThat(q.requests()).isEqualTo(3);
        assertThat(q.attempts()).isEqualTo(5);
        assertThat(q.failedAttempts()).isEqualTo(3);
        assertThat(q.failedRequests()).isEqualTo(2);
        assertThat(q.retriedRequests()).isEqualTo(2);
        assertThat(q.recoveredByRetry()).isEqualTo(1);
        assertThat(q.lostRequests()).isEqualTo(1);
        assertThat(q.failuresByOutcome()).containsExactlyInAnyOrderEntriesOf(Map.of(
                RequestOutcome.REFUSED, 1, RequestOutcome.TIMEOUT, 1, RequestOutcome.RESET, 1));
        assertThat(q.okByServer()).containsExactlyInAnyOrderEntriesOf(Map.of("rs1", 1, "rs2", 1));
    }

    @Test
    void theLongestPauseBetweenFirstAttemptsTellsHowShortAnOutageTheClientCouldHaveMissed() {
        // Every 5 ms, but nothing from 20 to 95 ms (the client stalled); retries do not fill the pause.
        SyntheticLog s = new SyntheticLog(200).pattern(0, 5, "OOOOO" + ".".repeat(14) + "OOOO")
                .attempt(99, 1, 50, RequestOutcome.OK, "rs1");
        var q = analyze(s).requests();
        assertThat(q.longestSendPauseNanos()).isEqualTo(75_000_000L);
        assertThat(q.longestSendPauseAtNanos()).isEqualTo(SyntheticLog.at(20));
    }

    @Test
    void bucketsCountAttemptsBy10msOfTheirStartTime() {
        SyntheticLog s = new SyntheticLog(35).pattern(0, 2.5, "OOOOXXXXO...O");
        var b = analyze(s).buckets();
        assertThat(b.widthNanos()).isEqualTo(10_000_000L);
        assertThat(b.size()).isEqualTo(4);
        assertThat(b.ok()).containsExactly(4, 0, 1, 1);
        assertThat(b.failed()).containsExactly(0, 4, 0, 0);
    }

    @Test
    void longLivedConnectionsSurviveUnlessResetStalledMovedOrWronglyEchoed() {
        SyntheticLog s = new SyntheticLog(1000);
        for (int c = 0; c < 5; c++) {
            s.event(1, c, StreamEvent.CONNECTED, null).event(5, c, StreamEvent.ECHO, "rs1");
        }
        s.event(400, 1, StreamEvent.RESET, "rs1").event(401, 1, StreamEvent.CLOSED, "rs1") // only the first break counts
                .event(300, 2, StreamEvent.STALL, "rs1").event(900, 2, StreamEvent.RESUMED, "rs1")
                .event(500, 3, StreamEvent.SERVER_CHANGED, "rs2")
                .event(600, 4, StreamEvent.BAD_ECHO, "rs1")
                .event(3, 5, StreamEvent.CONNECT_FAILED, null);
        for (int c = 0; c < 5; c++) {
            s.event(999, c, StreamEvent.FINISHED, "rs1");
        }
        var l = analyze(s).longLived();
        assertThat(l.opened()).isEqualTo(6);
        assertThat(l.established()).isEqualTo(5);
        assertThat(l.notEstablished()).isEqualTo(1);
        assertThat(l.broken()).isEqualTo(4);
        assertThat(l.survived()).isEqualTo(1);
        assertThat(l.breaks()).extracting(DrillResult.Break::kind).containsExactly(
                StreamEvent.STALL, StreamEvent.RESET, StreamEvent.SERVER_CHANGED, StreamEvent.BAD_ECHO);
        assertThat(l.breaksByKind()).containsEntry(StreamEvent.RESET, 1).doesNotContainKey(StreamEvent.CLOSED);
        assertThat(l.maxEchoLatencyNanos()).isEqualTo(300_000);
    }

    @Test
    void vipLocationFollowsTheMasterAndOverlappingMastersAreCountedAsDualMaster() {
        SyntheticLog s = new SyntheticLog(1000).pattern(0, 5, "O");
        List<TimelineEvent> events = List.of(
                new VrrpTransition(SyntheticLog.at(-50), "dir1", 51, VrrpRole.BACKUP, VrrpRole.MASTER),
                new Marker(SyntheticLog.at(100), "trigger: kill -9 dir1"),
                new SyncLag(SyntheticLog.at(90), "dir2", 3_000_000),
                new SyncLag(SyntheticLog.at(99), "dir2", 2_000_000),
                new SyncLag(SyntheticLog.at(99), "dir1", 9_000_000),
                new VrrpTransition(SyntheticLog.at(400), "dir2", 51, VrrpRole.BACKUP, VrrpRole.MASTER),
                new VrrpTransition(SyntheticLog.at(400), "dir2", 52, VrrpRole.BACKUP, VrrpRole.MASTER), // DIP instance
                new VrrpTransition(SyntheticLog.at(450), "dir1", 51, VrrpRole.MASTER, VrrpRole.BACKUP),
                new SyncLag(SyntheticLog.at(500), "dir2", 7_000_000));
        var d = analyze(s, events, Expectation.NONE).directors();
        assertThat(d.vipSource()).isEqualTo("vrrp");
        assertThat(d.vipSpans()).extracting(DrillResult.VipSpan::masters)
                .containsExactly(List.of("dir1"), List.of("dir1", "dir2"), List.of("dir2"));
        assertThat(d.vipSpans().get(0).fromNanos()).isEqualTo(SyntheticLog.at(0)); // clipped to the run
        assertThat(d.dualMasterEpisodes()).isEqualTo(1);
        assertThat(d.dualMasterNanos()).isEqualTo(50_000_000L);
        assertThat(d.failoverNode()).isEqualTo("dir2");
        assertThat(d.failoverNanos()).isEqualTo(SyntheticLog.at(400));
        assertThat(d.syncLagAtFailoverNanos()).isEqualTo(2_000_000);
        assertThat(d.transitions()).hasSize(4);
        assertThat(d.markers()).singleElement().extracting(Marker::label).isEqualTo("trigger: kill -9 dir1");
    }

    @Test
    void addressEventsAreTheVipLocationWhenPresentAndGiveTheFailoverWithoutVrrpEvents() {
        SyntheticLog s = new SyntheticLog(1000).pattern(0, 5, "O");
        List<TimelineEvent> events = List.of(
                new TimelineEvent.VipAddress(SyntheticLog.at(0), "dir1", "203.0.113.100", true),
                new Marker(SyntheticLog.at(100), "trigger: ip link set eth0 down on dir1"),
                new TimelineEvent.VipAddress(SyntheticLog.at(300), "dir1", "203.0.113.100", false),
                new TimelineEvent.VipAddress(SyntheticLog.at(420), "dir2", "203.0.113.100", true),
                // A VRRP view that disagrees: addresses win for the location.
                new VrrpTransition(SyntheticLog.at(410), "dir2", 51, VrrpRole.BACKUP, VrrpRole.MASTER));
        var d = analyze(s, events, Expectation.NONE).directors();
        assertThat(d.vipSource()).isEqualTo("addresses");
        assertThat(d.vipSpans()).extracting(DrillResult.VipSpan::masters)
                .containsExactly(List.of("dir1"), List.of(), List.of("dir2"));
        assertThat(d.vipSpans().get(1).toNanos() - d.vipSpans().get(1).fromNanos()).isEqualTo(120_000_000L);
        assertThat(d.failoverNode()).isEqualTo("dir2");
        assertThat(d.failoverNanos()).isEqualTo(SyntheticLog.at(410)); // the VRRP transition, when there is one

        var onlyAddresses = analyze(s, events.subList(0, 4), Expectation.NONE).directors();
        assertThat(onlyAddresses.failoverNanos()).isEqualTo(SyntheticLog.at(420));
        assertThat(onlyAddresses.observed()).isTrue();
    }

    @Test
    void clientOnlyRunsHaveNoDirectorDataAndAnInformationalVerdict() {
        DrillResult r = analyze(new SyntheticLog(100).pattern(0, 5, "OOXXOO"));
        assertThat(r.directors().observed()).isFalse();
        assertThat(r.directors().vipSpans()).isEmpty();
        assertThat(r.directors().syncLagAtFailoverNanos()).isEqualTo(-1);
        assertThat(r.verdict()).isEqualTo(Verdict.INFO);
    }

    @ParameterizedTest(name = "{0} with bound {1} ms -> {2}")
    @CsvSource({
            "OOOXXXXOOO, 20, PASS",   // gap 20 ms, exactly the bound
            "OOOXXXXXOO, 20, PASS",   // gap 25 ms, within the 5 ms tolerance
            "OOOXXXXXXO, 20, FAIL",   // gap 30 ms
            "OOOOOOOOOO, 0,  PASS",
    })
    void aCrashPassesWhenTheGapStaysWithinTheBoundPlusTolerance(String pattern, int boundMs, Verdict verdict) {
        Expectation e = new Expectation("master-down interval", Duration.ofMillis(boundMs), Duration.ofMillis(5),
                Integer.MAX_VALUE, false);
        DrillResult r = analyze(new SyntheticLog(100).pattern(0, 5, pattern), List.of(), e);
        assertThat(r.verdict()).as(r.verdictReason()).isEqualTo(verdict);
        if (verdict == Verdict.FAIL) {
            assertThat(r.verdictReason()).contains("gap 30.0 ms > master-down interval 20.0 ms + 5.0 ms");
        }
    }

    @Test
    void aSwitchoverFailsOnAnyFailedRequestOrBrokenConnectionOrDualMaster() {
        SyntheticLog s = new SyntheticLog(100).pattern(0, 5, "OOOXOOO")
                .event(1, 0, StreamEvent.CONNECTED, null).event(50, 0, StreamEvent.RESET, "rs1");
        List<TimelineEvent> events = List.of(
                new VrrpTransition(SyntheticLog.at(10), "dir2", 51, VrrpRole.BACKUP, VrrpRole.MASTER),
                new VrrpTransition(SyntheticLog.at(10), "dir1", 51, VrrpRole.BACKUP, VrrpRole.MASTER));
        DrillResult r = analyze(s, events, Expectation.noFailures());
        assertThat(r.verdict()).isEqualTo(Verdict.FAIL);
        assertThat(r.verdictReason()).contains("1 failed requests > 0").contains("1 long-lived broken")
                .contains("VIP on two directors at once 1 time(s)");
        DrillResult clean = analyze(new SyntheticLog(100).pattern(0, 5, "OOOOO"), List.of(), Expectation.noFailures());
        assertThat(clean.verdict()).isEqualTo(Verdict.PASS);
    }
}
