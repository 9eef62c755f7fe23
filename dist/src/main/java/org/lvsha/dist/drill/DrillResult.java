package org.lvsha.dist.drill;

import java.util.List;
import java.util.Map;
import org.lvsha.dist.drill.TimelineEvent.Marker;
import org.lvsha.dist.drill.TimelineEvent.VrrpTransition;

/**
 * What one drill measured (see {@link DrillMeasurements} for the definitions). Times are
 * {@link System#nanoTime()} values; {@link #offsetMillis} turns them into milliseconds since the
 * traffic started, which is how reports show them.
 */
public record DrillResult(String label, String target, long startNanos, long endNanos, long startEpochMillis,
                          long requestSpacingNanos, Requests requests, List<Outage> outages, LongLived longLived,
                          Buckets buckets, Directors directors, Expectation expectation, Verdict verdict,
                          String verdictReason) {

    public enum Verdict { PASS, FAIL, INFO }

    /** Long-lived connections lost with the real server the scenario took down ({@link Expectation#failedServer}). */
    public int lostWithFailedServer() {
        String s = expectation.failedServer();
        return s.isEmpty() ? 0 : (int) longLived.breaks().stream().filter(b -> s.equals(b.server())).count();
    }

    /** Long-lived connections broken but for those lost with the failed real server: what the directors broke. */
    public int brokenByDirectors() {
        return longLived.broken() - lostWithFailedServer();
    }

    /**
     * Counts over the short requests; a request is one request number with its retries.
     * {@code longestSendPauseNanos} is the longest time between two consecutive first attempts: the
     * client itself paused (GC, a loaded machine) and could not see an outage shorter than that.
     */
    public record Requests(int requests, int attempts, int okAttempts, int failedAttempts, int failedRequests,
                           int retriedRequests, int recoveredByRetry, int lostRequests,
                           Map<RequestOutcome, Integer> failuresByOutcome, Map<String, Integer> okByServer,
                           long longestSendPauseNanos, long longestSendPauseAtNanos) {
    }

    /**
     * One run of consecutive failed attempts (in start order). {@code lastOkNanos} is -1 when the
     * run began with failures, {@code firstOkNanos} is -1 when it ended in one ({@code recovered} false;
     * the gap then runs to the end of the traffic and is a lower bound).
     */
    public record Outage(long lastOkNanos, long firstFailNanos, long firstOkNanos, int failedAttempts,
                         long gapNanos, long withoutVipNanos, boolean recovered) {
    }

    /** A long-lived connection's first breaking event. */
    public record Break(int connection, long atNanos, StreamEvent kind, String server) {
    }

    public record LongLived(int opened, int established, int survived, int broken, int notEstablished,
                            Map<StreamEvent, Integer> breaksByKind, List<Break> breaks, long maxEchoLatencyNanos) {
    }

    /** Attempts by start time in buckets of {@code widthNanos} from {@code originNanos}. */
    public record Buckets(long originNanos, long widthNanos, int[] ok, int[] failed) {
        public int size() {
            return ok.length;
        }
    }

    /** Where the VIP was: the nodes that were master of the VIP's VRRP instance from {@code fromNanos} to {@code toNanos}. */
    public record VipSpan(long fromNanos, long toNanos, List<String> masters) {
    }

    /**
     * {@code vipSource} says what the VIP spans come from: {@code addresses} (the kernel's view,
     * {@link TimelineEvent.VipAddress}), else {@code vrrp} (the VIP instance's masters), else empty.
     * {@code dualMasterEpisodes} counts spans with two or more holders in that source.
     */
    public record Directors(int vipVrid, String vipSource, List<VrrpTransition> transitions, List<VipSpan> vipSpans,
                            int dualMasterEpisodes, long dualMasterNanos, String failoverNode,
                            long failoverNanos, long syncLagAtFailoverNanos, List<Marker> markers) {
        public boolean observed() {
            return !transitions.isEmpty() || !vipSource.isEmpty();
        }
    }

    /** The outage with the longest client-visible gap, or null when no request failed. */
    public Outage worstOutage() {
        Outage worst = null;
        for (Outage o : outages) {
            if (worst == null || o.gapNanos() > worst.gapNanos()) {
                worst = o;
            }
        }
        return worst;
    }

    /**
     * The outage the drill is about: with a trigger marker, the first outage still going on at
     * the trigger or starting after it; otherwise the one with the longest gap. Null when none.
     */
    public Outage primaryOutage() {
        long trigger = directors.markers().stream().filter(m -> m.label().startsWith("trigger"))
                .mapToLong(Marker::atNanos).findFirst().orElse(Long.MIN_VALUE);
        if (trigger == Long.MIN_VALUE) {
            return worstOutage();
        }
        for (Outage o : outages) {
            long until = o.recovered() ? o.firstOkNanos() : endNanos;
            if (until >= trigger) {
                return o;
            }
        }
        return null;
    }

    public double offsetMillis(long nanos) {
        return (nanos - startNanos) / 1e6;
    }

    public double durationSeconds() {
        return (endNanos - startNanos) / 1e9;
    }
}
