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
        ScheduledFuture<?> deadline = loop.schedule(
                () -> probe.complete(CheckResult.down(FailureReason.TIMEOUT, "no verdict within " + timeout)),
                timeout.toNanos(), TimeUnit.NANOSECONDS);
        CompletableFuture<CheckResult> out = new CompletableFuture<>();
        probe.whenComplete((r, e) -> {
            deadline.cancel(false);
            out.complete(e != null ? CheckResult.down(FailureReason.CHECKER_ERROR, e.getClass().getSimpleName() + ": " + e.getMessage())
                    : r == null ? CheckResult.down(FailureReason.CHECKER_ERROR, "checker completed with no result") : r);
        });
        // abandoning the bounded probe abandons the checker's too
        out.whenComplete((r, e) -> probe.complete(CheckResult.noChange("abandoned")));
        return out;
    }
}
