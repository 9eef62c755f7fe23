package org.lvsha.health.check;

/**
 * The outcome of one probe.
 *
 * @param verdict what the probe says about the server
 * @param reason  why it failed (null unless {@link Verdict#DOWN})
 * @param detail  a short human-readable explanation
 * @param weight  a weight the probe learned (agent percentage, command output), or null
 * @param admin   an administrative request from the server's agent, or null
 */
public record CheckResult(Verdict verdict, FailureReason reason, String detail, DynamicWeight weight, AgentAdmin admin) {
    public enum Verdict {
        UP,
        DOWN,
        /** The probe could not tell (an unreachable agent that does not count as a failure): no effect on rise/fall. */
        NO_CHANGE
    }

    private static final CheckResult UP = new CheckResult(Verdict.UP, null, "ok", null, null);

    public static CheckResult up() {
        return UP;
    }

    public static CheckResult up(String detail, DynamicWeight weight, AgentAdmin admin) {
        return new CheckResult(Verdict.UP, null, detail, weight, admin);
    }

    public static CheckResult down(FailureReason reason, String detail) {
        return new CheckResult(Verdict.DOWN, reason, detail, null, null);
    }

    public static CheckResult noChange(String detail) {
        return new CheckResult(Verdict.NO_CHANGE, null, detail, null, null);
    }

    public boolean isUp() {
        return verdict == Verdict.UP;
    }

    public boolean isDown() {
        return verdict == Verdict.DOWN;
    }
}
