package org.lvsha.dist.drill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.lvsha.dist.drill.TimelineEvent.VrrpRole;
import org.lvsha.dist.drill.TimelineEvent.VrrpTransition;

/** The run's sequence with a fake scenario, observer and traffic: what the scenario step relies on. */
class DrillRunTest {
    private final List<String> calls = new ArrayList<>();
    private final StringWriter progress = new StringWriter();
    private static final DrillRun.Timing QUICK = new DrillRun.Timing(Duration.ofMillis(40), Duration.ofMillis(30), Duration.ofMillis(10));
    private static final TrafficPlan PLAN = new TrafficPlan("192.0.2.11", 80, 9000, 200, Duration.ofSeconds(5), 1000,
            Duration.ofSeconds(1), 1, Duration.ofMillis(10), 0, Duration.ofMillis(100), Duration.ofSeconds(1));

    /** Traffic whose log is built when it ends: one success per 5 ms, failures between trigger and recover. */
    private final class FakeTraffic implements TrafficSource {
        @Override
        public Running start(TrafficPlan plan) {
            long start = System.nanoTime();
            calls.add("traffic start");
            return new Running() {
                private boolean stopped;

                @Override
                public long startNanos() {
                    return start;
                }

                @Override
                public void stop() {
                    stopped = true;
                    calls.add("traffic stop");
                }

                @Override
                public TrafficLog await(Duration timeout) {
                    TrafficLog log = new TrafficLog("fake", 10_000);
                    log.markStart(start, 0);
                    long end = System.nanoTime();
                    log.markEnd(end);
                    for (long t = start; t < end; t += 5_000_000L) {
                        log.finishAttempt(log.beginAttempt((int) ((t - start) / 5_000_000L), 0, t), t + 1000,
                                RequestOutcome.OK, log.server("rs1"));
                    }
                    calls.add("traffic await " + (stopped ? "stopped" : "ran out"));
                    return log;
                }

                @Override
                public void close() {
                    calls.add("traffic close");
                }
            };
        }
    }

    private final class FakeScenario implements Scenario {
        private final boolean failTrigger;

        FakeScenario(boolean failTrigger) {
            this.failTrigger = failTrigger;
        }

        @Override
        public String name() {
            return "fake";
        }

        @Override
        public String triggerDescription() {
            return "pull the plug";
        }

        @Override
        public Expectation expectation() {
            return Expectation.noFailures();
        }

        @Override
        public List<DirectorObserver> observers() {
            return List.of(new DirectorObserver() {
                @Override
                public void start(Timeline timeline) {
                    calls.add("observer start");
                    timeline.record(new VrrpTransition(System.nanoTime(), "dir2", 51, VrrpRole.BACKUP, VrrpRole.MASTER));
                }

                @Override
                public void close() {
                    calls.add("observer close");
                }
            });
        }

        @Override
        public void prepare(DrillContext c) {
            calls.add("prepare");
        }

        @Override
        public void trigger(DrillContext c) {
            calls.add("trigger");
            if (failTrigger) {
                throw new IllegalStateException("the link would not go down");
            }
        }

        @Override
        public void recover(DrillContext c) {
            calls.add("recover");
        }
    }

    @Test
    void prepareObserveTrafficLeadInTriggerHoldRecoverTailStopThenAnalyze() throws Exception {
        long t0 = System.nanoTime();
        DrillResult r = new DrillRun(new FakeScenario(false), new FakeTraffic(), PLAN, QUICK, new PrintWriter(progress, true)).run();
        assertThat(calls).containsExactly("prepare", "observer start", "traffic start", "trigger", "recover",
                "traffic stop", "traffic await stopped", "traffic close", "observer close");
        assertThat(r.label()).isEqualTo("fake");
        assertThat(r.directors().markers()).extracting(TimelineEvent.Marker::label)
                .containsExactly("trigger: pull the plug", "recover", "recovered");
        var m = r.directors().markers();
        assertThat(m.get(0).atNanos() - r.startNanos()).isGreaterThanOrEqualTo(QUICK.leadIn().toNanos());
        assertThat(m.get(1).atNanos() - m.get(0).atNanos()).isGreaterThanOrEqualTo(QUICK.hold().toNanos());
        assertThat(r.endNanos() - m.get(2).atNanos()).isGreaterThanOrEqualTo(QUICK.tail().toNanos());
        assertThat(r.directors().transitions()).hasSize(1);
        assertThat(r.verdict()).isEqualTo(DrillResult.Verdict.PASS);
        assertThat(progress.toString()).contains("fake: trigger (pull the plug)");
        assertThat(System.nanoTime() - t0).isLessThan(Duration.ofSeconds(5).toNanos());
    }

    @Test
    void aFailingStepStillClosesTheTrafficAndTheObservers() {
        assertThatThrownBy(() -> new DrillRun(new FakeScenario(true), new FakeTraffic(), PLAN, QUICK,
                new PrintWriter(progress, true)).run()).hasMessage("the link would not go down");
        assertThat(calls).containsSubsequence("trigger", "traffic close", "observer close").doesNotContain("recover");
    }

    @Test
    void aSuiteRunsEveryScenarioAndReportsTheOnesThatCouldNotRun() throws Exception {
        DrillSuite.Outcome o = DrillSuite.run(List.of(new FakeScenario(true), new FakeScenario(false)),
                s -> new DrillRun(s, new FakeTraffic(), PLAN, QUICK, new PrintWriter(progress, true)),
                new PrintWriter(progress, true));
        assertThat(o.results()).hasSize(1);
        assertThat(o.failures()).containsExactly(new DrillSuite.Failure("fake", "the link would not go down"));
        assertThat(progress.toString()).contains("fake: could not run: the link would not go down");
        assertThat(calls.stream().filter("observer close"::equals)).hasSize(2);
    }

    @Test
    void aClientOnlyDrillNeitherTriggersNorStopsTheTrafficEarly() throws Exception {
        DrillResult r = new DrillRun(new ClientOnlyScenario("ops", Expectation.NONE), new FakeTraffic(), PLAN, QUICK,
                new PrintWriter(progress, true)).run();
        assertThat(calls).containsExactly("traffic start", "traffic await ran out", "traffic close");
        assertThat(r.directors().markers()).isEmpty();
        assertThat(progress.toString()).contains("trigger the event on the directors while the traffic runs");
    }
}
