package org.lvsha.vrrp;

/** A clock that moves only when told to: for tests and simulations. Not thread-safe by design. */
public final class VirtualClock implements MonotonicClock {
    private long now;

    public VirtualClock(long start) {
        this.now = start;
    }

    @Override
    public long nanoTime() {
        return now;
    }

    public void set(long t) {
        if (t < now) {
            throw new IllegalArgumentException("monotonic clock cannot go back: " + t + " < " + now);
        }
        now = t;
    }

    public void advance(long nanos) {
        set(now + nanos);
    }
}
