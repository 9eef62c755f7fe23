package org.lvsha.dist.drill;

import java.time.Duration;

/**
 * What a scenario promises, to give a verdict against: the bound the client-visible gap must stay
 * within (e.g. the master-down interval, 3 × advert interval + skew time, RFC 5798 §6.1) plus a
 * tolerance, the most failed requests allowed, and whether every long-lived connection must survive.
 * {@link #NONE} (client-only drills without a stated bound) gives an informational result.
 * {@code overlapAllowed}: how long the VIP may sit on two directors at once in all before that fails the verdict;
 * zero but for a planned switchover, which is make-before-break by design (the new master adds the VIP before the old
 * one lets go of it).
 * {@code failedServer}: the real server the scenario takes down ("" for none). The long-lived connections it held
 * break with it, whatever the directors do; they are reported apart, and "every long-lived connection survives"
 * applies to the others.
 */
public record Expectation(String boundName, Duration bound, Duration tolerance, int maxFailedRequests,
                          boolean longLivedMustSurvive, Duration overlapAllowed, String failedServer) {
    public Expectation(String boundName, Duration bound, Duration tolerance, int maxFailedRequests, boolean longLivedMustSurvive) {
        this(boundName, bound, tolerance, maxFailedRequests, longLivedMustSurvive, Duration.ZERO);
    }

    public Expectation(String boundName, Duration bound, Duration tolerance, int maxFailedRequests, boolean longLivedMustSurvive,
                       Duration overlapAllowed) {
        this(boundName, bound, tolerance, maxFailedRequests, longLivedMustSurvive, overlapAllowed, "");
    }

    /** The same, for a scenario that takes {@code server} down (its long-lived connections are lost with it). */
    public Expectation withFailedServer(String server) {
        return new Expectation(boundName, bound, tolerance, maxFailedRequests, longLivedMustSurvive, overlapAllowed, server);
    }

    public static final Expectation NONE = new Expectation("", null, Duration.ZERO, Integer.MAX_VALUE, false);

    public boolean any() {
        return bound != null || maxFailedRequests != Integer.MAX_VALUE || longLivedMustSurvive;
    }

    /** A gap no longer than {@code bound + tolerance}, e.g. a crash bounded by the master-down interval. */
    public static Expectation gapWithin(String boundName, Duration bound, Duration tolerance) {
        return new Expectation(boundName, bound, tolerance, Integer.MAX_VALUE, true);
    }

    /** No request fails and every connection survives: a planned, make-before-break switchover. */
    public static Expectation noFailures() {
        return new Expectation("no failed request", Duration.ZERO, Duration.ZERO, 0, true);
    }
}
