package org.lvsha.dist.drill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lvsha.core.lab.NetnsLab;
import org.lvsha.core.lab.Privileges;
import org.lvsha.core.lab.Shell;
import org.lvsha.dist.drill.TimelineEvent.Marker;
import org.lvsha.dist.lab.Lab;
import org.lvsha.dist.lab.Layout;
import org.lvsha.dist.lab.LvshaJvm;

/**
 * {@code lvsha drill --lab} end to end, on the DR lab with the real director pair (two {@code lvsha run} daemons on
 * the userspace data plane, connection sync on): a planned switchover, then a master crash, one lab and one pair for
 * both (JVM starts are the slow part on the shared machine). The figures must be what the scenarios promise, within
 * bounds loose enough for a loaded two-core machine, and the lab must be gone afterwards.
 */
@Tag("netns")
class DrillPairLabTest {
    @TempDir
    Path logs;

    @Test
    void switchoverLosesNothingAndACrashShowsAGapNearTheMasterDownIntervalTakenOverByTheBackup() throws Exception {
        assumeTrue(Privileges.netnsAvailable(), () -> "skipped: " + Privileges.netnsUnavailableReason().orElse(""));
        DrillSuite.Outcome outcome = runLab("dt", true, "switchover,crash", 100);
        System.out.println(TextReport.render(outcome.results()));
        assertThat(outcome.failures()).isEmpty();
        assertThat(outcome.results()).extracting(DrillResult::label).containsExactly("switchover", "crash");

        // Planned switchover: make-before-break. The new master is the former backup, seen by its status file;
        // established connections survive (sync flushed before the handover).
        DrillResult sw = outcome.results().get(0);
        String oldMaster = actedOn(sw);
        assertThat(sw.directors().failoverNode()).as(TextReport.details(sw)).isEqualTo(other(oldMaster));
        assertThat(sw.requests().requests()).isGreaterThan(200);
        // Zero failed requests is the target. On the shared build machine (load average near 30 on two cores) the
        // traffic process itself stalls for a second at times and its requests time out, before and after the
        // switchover alike; a retry recovers them. What a switchover must not do is lose a request or reset one.
        assertThat(sw.requests().lostRequests()).as(TextReport.details(sw)).isZero();
        assertThat(sw.requests().failuresByOutcome().keySet()).as(TextReport.details(sw))
                .doesNotContain(RequestOutcome.RESET, RequestOutcome.REFUSED);
        assertThat(sw.longLived().established()).isEqualTo(6);
        assertThat(sw.longLived().broken()).as(TextReport.details(sw)).isZero();
        assertThat(sw.expectation().boundName()).startsWith("skew time");

        // Crash of the master (normally the switchover's new one): the other takes over by its master-down timer. The
        // client sees a gap, bounded; the stale VIP on the killed director is reported, not a failure.
        DrillResult crash = outcome.results().get(1);
        String killedDir = actedOn(crash);
        String survivor = other(killedDir);
        MasterDownInterval mdi = new MasterDownInterval(Duration.ofMillis(100), PairConfig.priority(survivor.equals("dir1") ? 1 : 2));
        assertThat(crash.expectation().bound()).isEqualTo(mdi.interval());
        assertThat(crash.directors().failoverNode()).as(TextReport.details(crash)).isEqualTo(survivor);
        long killed = marker(crash, "SIGKILL " + killedDir);
        long takeover = crash.directors().failoverNanos() - killed;
        // Not before the kill (that would be a spurious takeover), and not much later than the interval. No tighter
        // lower bound: under load the killed master's last adverts may already have been late.
        assertThat(takeover).as(TextReport.details(crash)).isBetween(0L, mdi.interval().toNanos() + 2_000_000_000L);
        DrillResult.Outage o = crash.primaryOutage();
        assertThat(o).as(TextReport.details(crash)).isNotNull();
        assertThat(o.recovered()).isTrue();
        assertThat(o.gapNanos()).isBetween(1L, mdi.interval().toNanos() + 3_000_000_000L);
        assertThat(crash.requests().lostRequests()).as("retries cover a takeover this short").isLessThanOrEqualTo(20);
        assertThat(crash.longLived().established()).isEqualTo(6);
        // Connection sync on: every long-lived connection reached the backup before the kill and survives.
        assertThat(crash.longLived().broken()).as(TextReport.details(crash)).isZero();
        assertThat(crash.longLived().survived()).isEqualTo(6);
        assertThat(crash.directors().vipSource()).isEqualTo("addresses");
    }

    /** The control experiment: without connection sync the same crash breaks the long-lived connections. */
    @Test
    void withoutSyncACrashBreaksTheLongLivedConnections() throws Exception {
        assumeTrue(Privileges.netnsAvailable(), () -> "skipped: " + Privileges.netnsUnavailableReason().orElse(""));
        DrillSuite.Outcome outcome = runLab("dn", false, "crash", 50);
        DrillResult crash = outcome.results().get(0);
        System.out.println(TextReport.render(outcome.results()));
        assertThat(crash.longLived().established()).isEqualTo(6);
        // The new master has never heard of them: each breaks (reset, or silence beyond the stall threshold).
        assertThat(crash.longLived().broken()).as(TextReport.details(crash)).isEqualTo(6);
        assertThat(crash.verdict()).isEqualTo(DrillResult.Verdict.FAIL);
    }

    /**
     * A DR lab with two real servers and the pair at a 100 ms advert interval; the traffic is lvsha drill --lab's
     * defaults (800 ms: below the 1 s SYN retransmission) at {@code rate} requests/s, with six long-lived connections.
     * Checks that the lab is gone afterwards, daemons and traffic process included.
     */
    private DrillSuite.Outcome runLab(String prefixBase, boolean sync, String scenarios, int rate) throws Exception {
        String prefix = NetnsLab.uniquePrefix(prefixBase);
        PairConfig pair = new PairConfig(Layout.DR, 2, sync, Duration.ofMillis(100));
        TrafficPlan traffic = new TrafficPlan("203.0.113.100", 80, 9000, rate, Duration.ofSeconds(1), 1_000_000,
                Duration.ofMillis(800), 1, Duration.ofMillis(10), 6, Duration.ofMillis(100), Duration.ofSeconds(1));
        try {
            return LabDrill.run(new LabDrill.Settings(Lab.dr(2), pair, scenarios, traffic, LabDrill.timing(true), prefix, logs),
                    new PrintWriter(System.out, true));
        } finally {
            assertThat(Shell.run("ip", "netns", "list").stdout()).doesNotContain(prefix + "-");
            assertThat(Shell.tryRun("pgrep", "-f", "--", LvshaJvm.labMarker(prefix)).exitCode()).isEqualTo(1);
        }
    }

    /** The director the scenario acted on, from its trigger marker ("trigger: ... dirN"). */
    private static String actedOn(DrillResult r) {
        String label = r.directors().markers().stream().map(Marker::label).filter(l -> l.startsWith("trigger:")).findFirst()
                .orElseThrow(() -> new AssertionError("no trigger marker"));
        return label.substring(label.lastIndexOf("dir"));
    }

    private static String other(String dir) {
        return dir.equals("dir1") ? "dir2" : "dir1";
    }

    private static long marker(DrillResult r, String label) {
        return r.directors().markers().stream().filter(m -> m.label().equals(label)).mapToLong(Marker::atNanos)
                .findFirst().orElseThrow(() -> new AssertionError("no marker " + label));
    }
}
