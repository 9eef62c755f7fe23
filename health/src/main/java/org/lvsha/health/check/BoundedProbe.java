package org.lvsha.health.check;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One probe with every way of going wrong turned into a result: a checker that throws, returns nothing, fails
 * its future or does not finish within the timeout gives a {@code DOWN} result. The returned future always
 * completes normally, by the timeout at the latest, and completing it releases the checker's resources.
 */
public final class BoundedProbe {
    private BoundedProbe() {
    }

    public static CompletableFuture<CheckResult> run(Checker checker, EventLoop loop, Duration timeout) {
        long due = System.nanoTime() + timeout.toNanos();
        CompletableFuture<CheckResult> f;
        try {
            f = checker.check(loop, timeout);
            if (f == null) {
                f = CompletableFuture.completedFuture(CheckResult.down(FailureReason.CHECKER_ERROR, "checker returned no result"));
            }
        } catch (RuntimeException | Error e) {
            f = CompletableFuture.completedFuture(CheckResult.down(FailureReason.CHECKER_ERROR, e.getClass().getSimpleName() + ": " + e.getMessage()));
        }
        CompletableFuture<CheckResult> probe = f;
        Deadline deadline = new Deadline(probe, loop, timeout, due);
        deadline.arm(Math.max(0, due - System.nanoTime()));
        CompletableFuture<CheckResult> out = new CompletableFuture<>();
        probe.whenComplete((r, e) -> {
            deadline.cancel();
            out.complete(e != null ? CheckResult.down(FailureReason.CHECKER_ERROR, e.getClass().getSimpleName() + ": " + e.getMessage())
                    : r == null ? CheckResult.down(FailureReason.CHECKER_ERROR, "checker completed with no result") : r);
        });
        // abandoning the bounded probe abandons the checker's too
        out.whenComplete((r, e) -> probe.complete(CheckResult.noChange("abandoned")));
        return out;
    }

    /**
     * The probe's timeout. When the timer fires late — the event loop, not the server, was slow (a starved
     * or paused director) — the probe gets once more as much time as the loop lost (at most the timeout), so
     * an overloaded checker does not declare healthy servers down; a server that really does not answer is
     * still declared down, within twice the timeout at worst.
     */
    private static final class Deadline implements Runnable {
        private static final long LATE_NANOS = TimeUnit.MILLISECONDS.toNanos(20);
        private final CompletableFuture<CheckResult> probe;
        private final EventLoop loop;
        private final Duration timeout;
        private long due;
        private boolean extended;
        private ScheduledFuture<?> timer;

        Deadline(CompletableFuture<CheckResult> probe, EventLoop loop, Duration timeout, long due) {
            this.probe = probe;
            this.loop = loop;
            this.timeout = timeout;
            this.due = due;
        }

        void arm(long delayNanos) {
            timer = loop.schedule(this, delayNanos, TimeUnit.NANOSECONDS);
        }

        void cancel() {
            ScheduledFuture<?> t = timer;
            if (t != null) {
                t.cancel(false);
            }
        }

        @Override
        public void run() {
            long late = System.nanoTime() - due;
            if (!extended && late > Math.max(LATE_NANOS, timeout.toNanos() / 10)) {
                extended = true;
                long grace = Math.min(late, timeout.toNanos());
                due = System.nanoTime() + grace;
                arm(grace);
                return;
            }
            probe.complete(CheckResult.down(FailureReason.TIMEOUT, "no verdict within " + timeout
                    + (extended ? " (extended once: the checker's event loop was late)" : "")));
        }
    }
}
