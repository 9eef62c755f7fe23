package org.lvsha.health.schedule;

import java.time.Duration;
import org.lvsha.health.config.CheckTiming;

/**
 * When the next probe of a check starts, measured start to start. Pure: the random number comes in.
 *
 * <p>A probe that disagrees with the check's current state (a failure while up, a success while down) is
 * followed by the next one after {@code retryDelay} rather than {@code interval}, so a transition is
 * confirmed quickly. Every delay is moved by up to {@code jitter} either way, and the first probe starts at a
 * random offset within the first interval, so thousands of checks configured alike do not fire together.
 * With {@code retryDelay <= interval} and {@code timeout <= interval}, a failure is detected within
 * {@code interval * fall + timeout} (plus {@code fall * jitter} in the worst case).
 */
public final class CheckDelays {
    private static final long MIN_DELAY_NANOS = 1_000_000L;

    private CheckDelays() {
    }

    /** Delay before the first probe: uniform in [0, interval). {@code random} is in [0, 1). */
    public static long initialOffsetNanos(CheckTiming t, double random) {
        return (long) (t.interval().toNanos() * random);
    }

    /**
     * Delay from the start of the probe that just finished to the start of the next.
     *
     * @param disagreed whether the last result disagreed with the check's state (see {@link RiseFallCounter#inTransition()})
     * @param random    uniform in [0, 1)
     */
    public static long nextDelayNanos(CheckTiming t, boolean disagreed, double random) {
        Duration base = disagreed ? min(t.retryDelay(), t.interval()) : t.interval();
        long jitter = t.jitter().toNanos();
        long d = base.toNanos() + (long) ((2 * random - 1) * jitter);
        return Math.max(MIN_DELAY_NANOS, d);
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
