package org.lvsha.dist.drill;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.lvsha.dist.drill.DrillResult.Outage;
import org.lvsha.dist.drill.TimelineEvent.Marker;
import org.lvsha.dist.drill.TimelineEvent.VrrpTransition;

/** The terminal form of drill results: the per-scenario table, then the details of each run. */
public final class TextReport {
    /** Outages listed one by one before the rest is summarised. */
    static final int MAX_LISTED_OUTAGES = 10;

    private TextReport() {
    }

    /** One row per result: what {@code lvsha drill} prints first and the HTML page shows on top. */
    public static String table(List<DrillResult> results) {
        StringBuilder b = new StringBuilder();
        String fmt = "%-14s %11s %13s %14s %8s %14s  %-32s %s%n";
        b.append(String.format(Locale.ROOT, fmt, "scenario", "gap", "without VIP", "failed/total", "lost",
                "broken/total", "bound", "verdict"));
        for (DrillResult r : results) {
            Outage o = r.primaryOutage();
            b.append(String.format(Locale.ROOT, fmt, r.label(),
                    o == null ? "0 ms" : ms(o.gapNanos()) + (o.recovered() ? "" : "+"),
                    o == null ? "0 ms" : ms(o.withoutVipNanos()) + (o.recovered() ? "" : "+"),
                    r.requests().failedRequests() + "/" + r.requests().requests(),
                    Integer.toString(r.requests().lostRequests()),
                    brokenCell(r),
                    bound(r.expectation()), r.verdict() == DrillResult.Verdict.FAIL
                            ? "FAIL: " + r.verdictReason() : r.verdict().name()));
        }
        return b.toString();
    }

    /**
     * Broken/total long-lived connections for the table; with a failed real server, of those not on it, then how many
     * were lost with it ("0/5 +5 rs1").
     */
    static String brokenCell(DrillResult r) {
        int lost = r.lostWithFailedServer();
        String cell = r.brokenByDirectors() + "/" + (r.longLived().opened() - lost);
        return lost == 0 ? cell : cell + " +" + lost + " " + r.expectation().failedServer();
    }

    /** The bound in a few characters, for the table ({@link DrillMeasurements#describe} has it in full). */
    static String bound(Expectation e) {
        if (!e.any()) {
            return "-";
        }
        List<String> parts = new java.util.ArrayList<>();
        if (e.bound() != null) {
            parts.add(String.format(Locale.ROOT, "gap<=%.1f+%.1fms", e.bound().toNanos() / 1e6, e.tolerance().toNanos() / 1e6));
        }
        if (e.maxFailedRequests() != Integer.MAX_VALUE) {
            parts.add("failed<=" + e.maxFailedRequests());
        }
        if (e.longLivedMustSurvive()) {
            parts.add(e.failedServer().isEmpty() ? "0 broken" : "0 broken elsewhere");
        }
        return String.join(", ", parts);
    }

    /** The table, then every result's details, then the definitions. */
    public static String render(List<DrillResult> results) {
        StringBuilder b = new StringBuilder(table(results));
        for (DrillResult r : results) {
            b.append('\n').append(details(r));
        }
        b.append("\ndefinitions:\n");
        for (String d : DrillMeasurements.DEFINITIONS) {
            b.append("  - ").append(d).append('\n');
        }
        return b.toString();
    }

    static String details(DrillResult r) {
        StringBuilder b = new StringBuilder();
        var q = r.requests();
        line(b, "== %s: %s, started %s, traffic %.1f s", r.label(), r.target(),
                Instant.ofEpochMilli(r.startEpochMillis()), r.durationSeconds());
        line(b, "requests: %d (%d attempts), ok %d, failed attempts %d%s; failed requests %d, retried %d, recovered by retry %d, lost %d",
                q.requests(), q.attempts(), q.okAttempts(), q.failedAttempts(), counts(q.failuresByOutcome()),
                q.failedRequests(), q.retriedRequests(), q.recoveredByRetry(), q.lostRequests());
        line(b, "answered by: %s", q.okByServer().isEmpty() ? "nobody" : list(q.okByServer()));
        line(b, "outages: %d (resolution %s = 1/rate; longest pause in sending %s at %s, no shorter outage is visible there)",
                r.outages().size(), ms(r.requestSpacingNanos()), ms(q.longestSendPauseNanos()), at(r, q.longestSendPauseAtNanos()));
        int n = 0;
        for (Outage o : r.outages()) {
            if (++n > MAX_LISTED_OUTAGES) {
                line(b, "  ... %d more", r.outages().size() - MAX_LISTED_OUTAGES);
                break;
            }
            line(b, "  #%-3d last ok %s  first fail %s  first ok %s  gap %s  without VIP %s  failed attempts %d%s",
                    n, at(r, o.lastOkNanos()), at(r, o.firstFailNanos()), at(r, o.firstOkNanos()), ms(o.gapNanos()),
                    ms(o.withoutVipNanos()), o.failedAttempts(), o.recovered() ? "" : "  (not recovered by the end)");
        }
        var l = r.longLived();
        String window = l.breaks().isEmpty() ? "" : " between " + at(r, l.breaks().get(0).atNanos()) + " and "
                + at(r, l.breaks().get(l.breaks().size() - 1).atNanos());
        line(b, "long-lived: %d opened, %d established, %d survived, %d broken%s%s, %d never established, max echo latency %s",
                l.opened(), l.established(), l.survived(), l.broken(), counts(l.breaksByKind()), window,
                l.notEstablished(), ms(l.maxEchoLatencyNanos()));
        if (!r.expectation().failedServer().isEmpty()) {
            line(b, "  of the broken: %d on %s, the real server the scenario took down (they end with it), %d elsewhere",
                    r.lostWithFailedServer(), r.expectation().failedServer(), r.brokenByDirectors());
        }
        var d = r.directors();
        if (!d.observed()) {
            line(b, "directors: not observed%s", d.markers().isEmpty() ? " (client-only drill)" : "");
        } else {
            line(b, "directors: %d VRRP transitions; VIP location (from %s, VRID %d): %s; on two directors at once %d time(s), %s in all; failover to %s at %s, sync lag then %s",
                    d.transitions().size(), d.vipSource(), d.vipVrid(), d.vipSpans().stream()
                            .map(s -> (s.masters().isEmpty() ? "nobody" : String.join("+", s.masters())) + " "
                                    + at(r, s.fromNanos()) + ".." + at(r, s.toNanos()))
                            .collect(Collectors.joining(", ")),
                    d.dualMasterEpisodes(), ms(d.dualMasterNanos()), d.failoverNode().isEmpty() ? "-" : d.failoverNode(),
                    at(r, d.failoverNanos()), d.syncLagAtFailoverNanos() < 0 ? "unknown" : ms(d.syncLagAtFailoverNanos()));
            for (VrrpTransition t : d.transitions()) {
                line(b, "  %s %s VRID %d %s -> %s", at(r, t.atNanos()), t.node(), t.vrid(), t.from(), t.to());
            }
        }
        for (Marker m : d.markers()) {
            line(b, "  %s %s", at(r, m.atNanos()), m.label());
        }
        line(b, "verdict: %s (%s)", r.verdict(), r.verdictReason());
        return b.toString();
    }

    private static String counts(Map<?, Integer> m) {
        if (m.isEmpty()) {
            return "";
        }
        return " (" + list(m) + ")";
    }

    private static String list(Map<?, Integer> m) {
        return m.entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", "));
    }

    private static void line(StringBuilder b, String fmt, Object... args) {
        b.append(String.format(Locale.ROOT, fmt, args)).append('\n');
    }

    static String ms(long nanos) {
        return String.format(Locale.ROOT, "%.1f ms", nanos / 1e6);
    }

    /** A time as milliseconds since the traffic started, or "-" for none. */
    static String at(DrillResult r, long nanos) {
        return nanos < 0 ? "-" : String.format(Locale.ROOT, "%.1f ms", r.offsetMillis(nanos));
    }
}
