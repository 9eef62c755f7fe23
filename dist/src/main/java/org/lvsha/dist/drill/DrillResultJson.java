package org.lvsha.dist.drill;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.lvsha.dist.drill.DrillResult.Outage;
import org.lvsha.dist.drill.TimelineEvent.Marker;
import org.lvsha.dist.drill.TimelineEvent.VrrpTransition;

/**
 * Drill results as JSON, for scripts, CI and benchmark comparisons (keepalived's numbers next to
 * ours). Times are milliseconds since the traffic started, durations milliseconds; -1 means none.
 * Per-bucket counts are left to the HTML page; outages are capped at {@link #MAX_OUTAGES}.
 */
public final class DrillResultJson {
    static final int MAX_OUTAGES = 100;

    private DrillResultJson() {
    }

    public static String render(List<DrillResult> results) {
        StringBuilder b = new StringBuilder("{\"results\":[");
        for (int i = 0; i < results.size(); i++) {
            if (i > 0) {
                b.append(',');
            }
            result(b, results.get(i));
        }
        b.append("]}\n");
        return b.toString();
    }

    private static void result(StringBuilder b, DrillResult r) {
        Outage o = r.primaryOutage();
        var q = r.requests();
        var l = r.longLived();
        var d = r.directors();
        b.append("\n{");
        field(b, "label", r.label()).append(',');
        field(b, "target", r.target()).append(',');
        field(b, "startEpochMillis", r.startEpochMillis()).append(',');
        field(b, "durationMs", (r.endNanos() - r.startNanos()) / 1e6).append(',');
        field(b, "resolutionMs", r.requestSpacingNanos() / 1e6).append(',');
        field(b, "gapMs", o == null ? 0 : o.gapNanos() / 1e6).append(',');
        field(b, "withoutVipMs", o == null ? 0 : o.withoutVipNanos() / 1e6).append(',');
        b.append("\"recovered\":").append(o == null || o.recovered()).append(',');
        b.append("\"requests\":{");
        field(b, "total", q.requests()).append(',');
        field(b, "attempts", q.attempts()).append(',');
        field(b, "okAttempts", q.okAttempts()).append(',');
        field(b, "failedAttempts", q.failedAttempts()).append(',');
        field(b, "failed", q.failedRequests()).append(',');
        field(b, "retried", q.retriedRequests()).append(',');
        field(b, "recoveredByRetry", q.recoveredByRetry()).append(',');
        field(b, "lost", q.lostRequests()).append(',');
        field(b, "longestSendPauseMs", q.longestSendPauseNanos() / 1e6).append(',');
        counts(b, "failuresByOutcome", q.failuresByOutcome()).append(',');
        counts(b, "okByServer", q.okByServer()).append("},");
        b.append("\"outages\":[");
        int n = 0;
        for (Outage x : r.outages()) {
            if (n == MAX_OUTAGES) {
                break;
            }
            b.append(n++ > 0 ? "," : "").append('{');
            field(b, "lastOkMs", at(r, x.lastOkNanos())).append(',');
            field(b, "firstFailMs", at(r, x.firstFailNanos())).append(',');
            field(b, "firstOkMs", at(r, x.firstOkNanos())).append(',');
            field(b, "gapMs", x.gapNanos() / 1e6).append(',');
            field(b, "withoutVipMs", x.withoutVipNanos() / 1e6).append(',');
            field(b, "failedAttempts", x.failedAttempts()).append('}');
        }
        b.append("],\"outageCount\":").append(r.outages().size()).append(',');
        b.append("\"longLived\":{");
        field(b, "opened", l.opened()).append(',');
        field(b, "established", l.established()).append(',');
        field(b, "survived", l.survived()).append(',');
        field(b, "broken", l.broken()).append(',');
        field(b, "brokenByDirectors", r.brokenByDirectors()).append(',');
        field(b, "lostWithFailedServer", r.lostWithFailedServer()).append(',');
        field(b, "neverEstablished", l.notEstablished()).append(',');
        field(b, "maxEchoLatencyMs", l.maxEchoLatencyNanos() / 1e6).append(',');
        counts(b, "breaksByKind", l.breaksByKind()).append("},");
        b.append("\"directors\":{");
        b.append("\"observed\":").append(d.observed()).append(',');
        field(b, "vipVrid", d.vipVrid()).append(',');
        field(b, "dualMasterEpisodes", d.dualMasterEpisodes()).append(',');
        field(b, "dualMasterMs", d.dualMasterNanos() / 1e6).append(',');
        field(b, "failoverNode", d.failoverNode()).append(',');
        field(b, "failoverMs", at(r, d.failoverNanos())).append(',');
        field(b, "syncLagAtFailoverMs", d.syncLagAtFailoverNanos() < 0 ? -1 : d.syncLagAtFailoverNanos() / 1e6).append(',');
        b.append("\"transitions\":[");
        for (int i = 0; i < d.transitions().size(); i++) {
            VrrpTransition t = d.transitions().get(i);
            b.append(i > 0 ? "," : "").append('{');
            field(b, "atMs", r.offsetMillis(t.atNanos())).append(',');
            field(b, "node", t.node()).append(',');
            field(b, "vrid", t.vrid()).append(',');
            field(b, "from", t.from().name()).append(',');
            field(b, "to", t.to().name()).append('}');
        }
        b.append("],\"markers\":[");
        for (int i = 0; i < d.markers().size(); i++) {
            Marker m = d.markers().get(i);
            b.append(i > 0 ? "," : "").append('{');
            field(b, "atMs", r.offsetMillis(m.atNanos())).append(',');
            field(b, "label", m.label()).append('}');
        }
        b.append("]},");
        field(b, "bound", r.expectation().any() ? DrillMeasurements.describe(r.expectation()) : "").append(',');
        field(b, "boundMs", r.expectation().bound() == null ? -1 : r.expectation().bound().toNanos() / 1e6).append(',');
        field(b, "verdict", r.verdict().name()).append(',');
        field(b, "reason", r.verdictReason());
        b.append('}');
    }

    private static double at(DrillResult r, long nanos) {
        return nanos < 0 ? -1 : r.offsetMillis(nanos);
    }

    private static StringBuilder counts(StringBuilder b, String name, Map<?, Integer> m) {
        b.append(quote(name)).append(":{");
        int i = 0;
        for (var e : m.entrySet()) {
            b.append(i++ > 0 ? "," : "").append(quote(String.valueOf(e.getKey()))).append(':').append(e.getValue());
        }
        return b.append('}');
    }

    private static StringBuilder field(StringBuilder b, String name, String value) {
        return b.append(quote(name)).append(':').append(quote(value == null ? "" : value));
    }

    private static StringBuilder field(StringBuilder b, String name, long value) {
        return b.append(quote(name)).append(':').append(value);
    }

    private static StringBuilder field(StringBuilder b, String name, double value) {
        return b.append(quote(name)).append(':').append(String.format(Locale.ROOT, "%.3f", value));
    }

    static String quote(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }
}
