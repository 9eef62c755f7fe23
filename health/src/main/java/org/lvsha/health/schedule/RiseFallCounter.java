package org.lvsha.health.schedule;

/**
 * The verdict of one check over successive probes: {@code rise} consecutive successes turn it up,
 * {@code fall} consecutive failures turn it down. Before the first probe the state is unknown and the first
 * result decides at once, so a starting director does not wait rise intervals to fill its table.
 * Not thread-safe: owned by the loop that runs the check.
 */
public final class RiseFallCounter {
    public enum State { UNKNOWN, UP, DOWN }

    private final int rise;
    private final int fall;
    private State state = State.UNKNOWN;
    private int streak;

    public RiseFallCounter(int rise, int fall) {
        if (rise < 1 || fall < 1) {
            throw new IllegalArgumentException("rise and fall must be at least 1");
        }
        this.rise = rise;
        this.fall = fall;
    }

    /** Records a probe result; returns true when the state changed. */
    public boolean record(boolean success) {
        State before = state;
        switch (state) {
            case UNKNOWN -> {
                state = success ? State.UP : State.DOWN;
                streak = 0;
            }
            case UP -> {
                streak = success ? 0 : streak + 1;
                if (streak >= fall) {
                    state = State.DOWN;
                    streak = 0;
                }
            }
            case DOWN -> {
                streak = success ? streak + 1 : 0;
                if (streak >= rise) {
                    state = State.UP;
                    streak = 0;
                }
            }
        }
        return state != before;
    }

    public State state() {
        return state;
    }

    /** True while results that disagree with the state are accumulating (a transition may be near). */
    public boolean inTransition() {
        return streak > 0;
    }
}
