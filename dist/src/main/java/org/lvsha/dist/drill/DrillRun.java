package org.lvsha.dist.drill;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One drill: traffic, the scenario's event, the director observations, the measurements.
 *
 * <pre>
 *   prepare ─ observers start ─ traffic starts ─ leadIn ─ trigger ─ hold ─ recover ─ tail ─ traffic stops ─ analyze
 * </pre>
 * A scenario that does not trigger itself (client-only) gets no trigger/recover: the traffic runs
 * its whole duration. Every wait is bounded; observers and traffic are closed even on failure.
 */
public final class DrillRun {
    /**
     * {@code leadIn}: traffic before the trigger (a baseline); {@code hold}: from the trigger to
     * the recover step; {@code tail}: traffic after the recover step returned.
     */
    public record Timing(Duration leadIn, Duration hold, Duration tail) {
        public static Timing standard() {
            return new Timing(Duration.ofSeconds(3), Duration.ofSeconds(3), Duration.ofSeconds(2));
        }
    }

    private final Scenario scenario;
    private final TrafficSource traffic;
    private final TrafficPlan plan;
    private final Timing timing;
    private final PrintWriter progress;

    public DrillRun(Scenario scenario, TrafficSource traffic, TrafficPlan plan, Timing timing, PrintWriter progress) {
        this.scenario = scenario;
        this.traffic = traffic;
        this.plan = plan;
        this.timing = timing;
        this.progress = progress;
    }

    /**
     * The traffic plan a scripted drill needs: long enough for the lead-in, the hold and the tail
     * plus {@code recoverAllowance} for the recover step itself; the drill stops it after the tail.
     */
    public static TrafficPlan scriptedPlan(TrafficPlan plan, Timing timing, Duration recoverAllowance) {
        return plan.withDuration(timing.leadIn().plus(timing.hold()).plus(recoverAllowance).plus(timing.tail()));
    }

    public DrillResult run() throws Exception {
        Timeline timeline = new Timeline();
        DrillContext ctx = new DrillContext(timeline, progress);
        scenario.prepare(ctx);
        List<DirectorObserver> started = new ArrayList<>();
        TrafficLog log;
        try {
            for (DirectorObserver o : scenario.observers()) {
                o.start(timeline);
                started.add(o);
            }
            ctx.say("%s: traffic to %s (%d/s, %d long-lived) for up to %s", scenario.name(), plan.httpTarget(),
                    plan.rate(), plan.longLived(), TrafficGenerator.seconds(plan.duration()));
            try (TrafficSource.Running running = traffic.start(plan)) {
                if (scenario.triggersItself()) {
                    sleepUntil(running.startNanos() + timing.leadIn().toNanos());
                    timeline.mark("trigger: " + scenario.triggerDescription());
                    ctx.say("%s: trigger (%s)", scenario.name(), scenario.triggerDescription());
                    scenario.trigger(ctx);
                    sleepUntil(System.nanoTime() + timing.hold().toNanos());
                    timeline.mark("recover");
                    ctx.say("%s: recover", scenario.name());
                    scenario.recover(ctx);
                    timeline.mark("recovered");
                    sleepUntil(System.nanoTime() + timing.tail().toNanos());
                    running.stop();
                }
                Duration bound = plan.duration().plus(plan.requestTimeout().plus(plan.retryDelay())
                        .multipliedBy(plan.retries() + 1L)).plusSeconds(30);
                log = running.await(bound);
            }
        } finally {
            for (DirectorObserver o : started) {
                o.close();
            }
        }
        if (timeline.dropped() > 0) {
            ctx.say("%s: %d director events beyond %d were dropped", scenario.name(), timeline.dropped(), Timeline.MAX_EVENTS);
        }
        return DrillMeasurements.analyze(scenario.name(), log, timeline.events(), scenario.vipVrid(), plan.rate(),
                scenario.expectation());
    }

    private static void sleepUntil(long nanos) throws InterruptedException {
        long left = nanos - System.nanoTime();
        if (left > 0) {
            Thread.sleep(left / 1_000_000, (int) (left % 1_000_000));
        }
    }
}
