package org.lvsha.vrrp;

/** Monotonic time in nanoseconds; the only clock the VRRP code reads (wall-clock jumps cannot move timers). */
@FunctionalInterface
public interface MonotonicClock {
    long nanoTime();

    static MonotonicClock system() {
        return System::nanoTime;
    }
}
