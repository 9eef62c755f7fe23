package org.lvsha.vrrp.track;

/** Hysteresis: {@code rise} successive successes to come up, {@code fall} successive failures to go down. */
public final class RiseFall {
    private final int rise;
    private final int fall;
    private boolean up;
    private int streak;

    public RiseFall(int rise, int fall, boolean initiallyUp) {
        if (rise < 1 || fall < 1) {
            throw new IllegalArgumentException("rise and fall must be >= 1");
        }
        this.rise = rise;
        this.fall = fall;
        this.up = initiallyUp;
    }

    /** Records one result; returns the state after it. */
    public boolean record(boolean success) {
        if (success == up) {
            streak = 0;
        } else if (++streak >= (success ? rise : fall)) {
            up = success;
            streak = 0;
        }
        return up;
    }

    public boolean up() {
        return up;
    }
}
