package org.lvsha.dist.drill;

import java.io.IOException;
import java.time.Duration;

/**
 * Where the drill's client traffic runs: in this JVM ({@link InProcessTraffic}, client-only drills
 * from an operator's host) or in another namespace ({@link NamespaceTraffic}, the lab's client).
 */
public interface TrafficSource {
    /** Starts the plan's traffic and returns once its clock runs (after the warm-up), bounded. */
    Running start(TrafficPlan plan) throws IOException, InterruptedException;

    /** Traffic under way. */
    interface Running extends AutoCloseable {
        /** The traffic clock's start ({@link System#nanoTime()}). */
        long startNanos();

        /** Asks the traffic to end early (in-flight requests still finish); returns at once. */
        void stop() throws IOException;

        /** Waits, at most {@code timeout}, for the traffic to end and returns its log. */
        TrafficLog await(Duration timeout) throws IOException, InterruptedException;

        /** Ends the traffic at once if still running (cleanup on failure). Never throws. */
        @Override
        void close();
    }
}
