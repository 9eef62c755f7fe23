package org.lvsha.health.check;

import io.netty.channel.EventLoop;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * One configured probe of one real server. {@link #check} starts a probe without blocking and returns a
 * future that the caller may complete itself (a timeout): implementations release their resources (close the
 * channel, kill the process) whenever the future completes, however it completes.
 */
public interface Checker {
    /**
     * Starts one probe on {@code loop}; the probe should give up by itself after {@code timeout}, but the
     * caller enforces the timeout anyway.
     */
    CompletableFuture<CheckResult> check(EventLoop loop, Duration timeout);

    /** Label for logs, such as {@code http:80/health}. */
    String describe();
}
