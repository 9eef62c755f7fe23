package org.lvsha.health.check;

/** A weight reported by the server (agent) or a command: a percentage of the configured weight, or absolute. */
public record DynamicWeight(boolean percent, int value) {
    public DynamicWeight {
        if (value < 0) {
            throw new IllegalArgumentException("dynamic weight must not be negative: " + value);
        }
    }

    public static DynamicWeight percentOf(int pct) {
        return new DynamicWeight(true, pct);
    }

    public static DynamicWeight absolute(int weight) {
        return new DynamicWeight(false, weight);
    }

    /** The weight this asks for, clamped to [0, maxWeight]. */
    public int apply(int configuredWeight, int maxWeight) {
        long w = percent ? ((long) configuredWeight * value + 50) / 100 : value;
        return (int) Math.max(0, Math.min(maxWeight, w));
    }
}
