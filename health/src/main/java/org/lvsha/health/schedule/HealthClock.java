package org.lvsha.health.schedule;

/** Monotonic time in nanoseconds; injected so the policy and scheduling logic can be tested without waiting. */
@FunctionalInterface
public interface HealthClock {
    long nanoTime();

    HealthClock SYSTEM = System::nanoTime;
}
