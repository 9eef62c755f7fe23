package org.lvsha.health.schedule;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.lvsha.health.check.BoundedProbe;
import org.lvsha.health.check.CheckResult;
import org.lvsha.health.check.Checker;
import org.lvsha.health.check.FailureReason;
import org.lvsha.health.config.CheckTiming;
import org.lvsha.health.event.CheckCounters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one checker periodically on one event loop, using the loop's timers: no thread per check. Each probe
 * is bounded by the timeout; a checker that throws, or whose future fails or never completes, produces a
 * failed probe and the schedule goes on. All state is confined to the loop.
 */
public final class CheckRunner {
    private static final Logger LOG = LoggerFactory.getLogger(CheckRunner.class);

    /** What a finished probe means, delivered on the runner's loop. */
    public interface Listener {
        void onProbe(CheckRunner runner, CheckResult result, RiseFallCounter.State state, boolean stateChanged);
    }

    private final Checker checker;
    private final CheckTiming timing;
    private final EventLoop loop;
    private final HealthClock clock;
    private final CheckCounters counters;
    private final Listener listener;
    private final RiseFallCounter verdict;
    private volatile boolean stopped;
    private ScheduledFuture<?> next;
    private CompletableFuture<CheckResult> inFlight;

    public CheckRunner(Checker checker, CheckTiming timing, EventLoop loop, HealthClock clock, CheckCounters counters, Listener listener) {
        this.checker = checker;
        this.timing = timing;
        this.loop = loop;
        this.clock = clock;
        this.counters = counters;
        this.listener = listener;
        this.verdict = new RiseFallCounter(timing.rise(), timing.fall());
    }

    public Checker checker() {
        return checker;
    }

    /** Starts probing after a random offset within the first interval. */
    public void start() {
        loop.execute(() -> schedule(CheckDelays.initialOffsetNanos(timing, ThreadLocalRandom.current().nextDouble())));
    }

    /** Stops probing; a probe in flight is abandoned (its resources released). */
    public void stop() {
        stopped = true;
        loop.execute(() -> {
            if (next != null) {
                next.cancel(false);
            }
            if (inFlight != null) {
                inFlight.complete(CheckResult.noChange("stopped"));
            }
        });
    }

    private void schedule(long delayNanos) {
        if (!stopped) {
            next = loop.schedule(this::probe, Math.max(0, delayNanos), TimeUnit.NANOSECONDS);
        }
    }

    private void probe() {
        if (stopped) {
            return;
        }
        long start = clock.nanoTime();
        CompletableFuture<CheckResult> probe = BoundedProbe.run(checker, loop, timing.timeout());
        inFlight = probe;
        probe.whenComplete((r, e) -> {
            if (loop.inEventLoop()) {
                finish(start, r, e);
            } else {
                loop.execute(() -> finish(start, r, e));
            }
        });
    }

    private void finish(long start, CheckResult r, Throwable e) {
        inFlight = null;
        if (stopped) {
            return;
        }
        CheckResult result = e != null
                ? CheckResult.down(FailureReason.CHECKER_ERROR, e.getClass().getSimpleName() + ": " + e.getMessage())
                : r;
        long end = clock.nanoTime();
        counters.recordRun(end - start);
        boolean changed = false;
        try {
            switch (result.verdict()) {
                case UP -> changed = verdict.record(true);
                case DOWN -> {
                    counters.recordFailure(result.reason() == null ? FailureReason.CHECKER_ERROR : result.reason());
                    changed = verdict.record(false);
                }
                case NO_CHANGE -> {
                    // An inconclusive probe (unreachable advisory agent) does not hold a server back at start-up.
                    if (verdict.state() == RiseFallCounter.State.UNKNOWN) {
                        changed = verdict.record(true);
                    }
                }
            }
            listener.onProbe(this, result, verdict.state(), changed);
        } catch (RuntimeException ex) {
            LOG.warn("listener failed after probe {}", checker.describe(), ex);
        } finally {
            long sinceStart = end - start;
            schedule(CheckDelays.nextDelayNanos(timing, verdict.inTransition(), ThreadLocalRandom.current().nextDouble()) - sinceStart);
        }
    }
}
