package org.lvsha.health.config;

/**
 * Quorum on the sum of the live real servers' weights, with hysteresis: the service loses quorum when the
 * sum drops below {@code down} and regains it only when the sum reaches {@code up} ({@code up >= down}).
 */
public record Quorum(int up, int down) {
    public Quorum {
        if (down < 0 || up < down) {
            throw new IllegalArgumentException("quorum needs 0 <= down <= up: up=" + up + " down=" + down);
        }
    }
}
