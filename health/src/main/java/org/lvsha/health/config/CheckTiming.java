package org.lvsha.health.config;

import java.time.Duration;

/**
 * When and how often one check runs, and how many results it takes to change its verdict.
 *
 * <p>The worst-case detection time of a failure is {@code interval * fall + timeout} (with a
 * {@code retryDelay} shorter than the interval, the second and later probes after a failure come sooner).
 * Fields left null take {@link #DEFAULTS}' values through {@link #orDefaults(CheckTiming)}.
 *
 * @param interval   time between the end of one probe and the start of the next while stable
 * @param timeout    bound on one whole probe (connect, request, complete response); a probe that is not done by then failed
 * @param rise       consecutive successes that turn a down check up
 * @param fall       consecutive failures that turn an up check down
 * @param retryDelay delay before the next probe after a failure while the check is still up (counting towards fall)
 * @param jitter     each delay is moved by a uniform random amount in [-jitter, +jitter] so checks spread out
 */
public record CheckTiming(Duration interval, Duration timeout, Integer rise, Integer fall, Duration retryDelay, Duration jitter) {
    public static final CheckTiming DEFAULTS = new CheckTiming(
            Duration.ofSeconds(2), Duration.ofSeconds(1), 2, 3, Duration.ofSeconds(1), Duration.ofMillis(100));

    public CheckTiming {
        if (rise != null && rise < 1) {
            throw new IllegalArgumentException("rise must be at least 1: " + rise);
        }
        if (fall != null && fall < 1) {
            throw new IllegalArgumentException("fall must be at least 1: " + fall);
        }
        requirePositive("interval", interval);
        requirePositive("timeout", timeout);
        requirePositive("retryDelay", retryDelay);
        if (jitter != null && jitter.isNegative()) {
            throw new IllegalArgumentException("jitter must not be negative: " + jitter);
        }
    }

    private static void requirePositive(String name, Duration d) {
        if (d != null && (d.isNegative() || d.isZero())) {
            throw new IllegalArgumentException(name + " must be positive: " + d);
        }
    }

    /** This timing with every null field taken from {@code fallback} (which should be complete). */
    public CheckTiming orDefaults(CheckTiming fallback) {
        if (fallback == null) {
            return this;
        }
        return new CheckTiming(
                interval != null ? interval : fallback.interval,
                timeout != null ? timeout : fallback.timeout,
                rise != null ? rise : fallback.rise,
                fall != null ? fall : fallback.fall,
                retryDelay != null ? retryDelay : fallback.retryDelay,
                jitter != null ? jitter : fallback.jitter);
    }

    /** {@code interval * fall + timeout}: the bound on detecting a failure with these settings. */
    public Duration detectionBound() {
        return interval.multipliedBy(fall).plus(timeout);
    }
}
