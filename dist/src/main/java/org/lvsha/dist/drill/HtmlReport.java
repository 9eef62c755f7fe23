package org.lvsha.dist.drill;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.lvsha.dist.drill.DrillResult.Break;
import org.lvsha.dist.drill.DrillResult.Buckets;
import org.lvsha.dist.drill.DrillResult.Outage;
import org.lvsha.dist.drill.DrillResult.VipSpan;
import org.lvsha.dist.drill.TimelineEvent.Marker;
import org.lvsha.dist.drill.TimelineEvent.VrrpTransition;

/**
 * Drill results as one self-contained HTML page: the per-scenario table, and per run a timeline
 * drawn as inline SVG (no script, font, stylesheet or image from anywhere else, so the file can be
 * mailed or archived as is). The timeline shows successful (up, green) and failed (down, red)
 * attempts per bucket, the outage (gap dark, time without VIP light), the VIP's location as bands,
 * VRRP transitions, scenario markers and long-lived connection breaks; a second plot zooms on the
 * outage at full 10 ms resolution.
 */
public final class HtmlReport {
    /** Above this many buckets a plot merges neighbours, so a long run stays a page, not a megabyte of rects. */
    static final int MAX_BARS = 1500;
    private static final int W = 1000;
    private static final int LEFT = 60;
    private static final int RIGHT = 980;
    private static final int BAND_Y = 8;
    private static final int BAND_H = 16;
    private static final int PLOT_TOP = 34;
    private static final int BASE_Y = 170;
    private static final int PLOT_BOTTOM = 250;
    private static final int BREAK_Y = 262;
    private static final int AXIS_Y = 282;
    private static final int H = 300;
    /** Marker labels: a generous average advance of the 11 px sans-serif, rows 12 px apart, at most 6 rows. */
    private static final double CHAR_PX = 6.2;
    private static final int LANE_PX = 12;
    private static final int MARKER_LANES = 6;
    private static final String[] NODE_COLOURS = {"#4e79a7", "#f28e2b", "#76b7b2", "#b07aa1"};

    private HtmlReport() {
    }

    public static String render(String title, List<DrillResult> results) {
        StringBuilder b = new StringBuilder(64 * 1024);
        b.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>").append(esc(title))
                .append("</title>\n<style>\n")
                .append("body{font:14px/1.4 sans-serif;margin:16px;color:#222}table{border-collapse:collapse}")
                .append("td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}th{background:#eee}")
                .append("td.l,th.l{text-align:left}.PASS{color:#1a7f37;font-weight:bold}.FAIL{color:#c62828;font-weight:bold}")
                .append("svg{width:100%;max-width:1100px;height:auto;border:1px solid #ddd;background:#fff}")
                .append("rect.ok{fill:#2e9e4f}rect.fail{fill:#d62728}rect.gap{fill:#d62728;opacity:.18}")
                .append("rect.novip{fill:#ff9896;opacity:.18}line.mark{stroke:#555;stroke-dasharray:4 3}")
                .append("line.vrrp{stroke:#7b3294;stroke-width:1.5}line.break{stroke:#8c564b;stroke-width:1.5}")
                .append("text{font:11px sans-serif;fill:#333}pre{background:#f6f6f6;padding:8px;overflow:auto}")
                .append("\n</style></head><body>\n<h1>").append(esc(title)).append("</h1>\n");
        summary(b, results);
        int i = 0;
        for (DrillResult r : results) {
            section(b, r, i++);
        }
        b.append("<h2>Definitions</h2><ul>");
        for (String d : DrillMeasurements.DEFINITIONS) {
            b.append("<li>").append(esc(d)).append("</li>");
        }
        b.append("</ul>\n</body></html>\n");
        return b.toString();
    }

    private static void summary(StringBuilder b, List<DrillResult> results) {
        b.append("<table id=\"summary\"><tr><th class=\"l\">scenario</th><th>gap</th><th>time without VIP</th>")
                .append("<th>failed/total requests</th><th>lost</th><th>broken/total long-lived</th>")
                .append("<th>VIP on two at once</th><th class=\"l\">bound</th><th class=\"l\">verdict</th></tr>\n");
        for (DrillResult r : results) {
            Outage o = r.primaryOutage();
            b.append("<tr><td class=\"l\">").append(esc(r.label())).append("</td><td>")
                    .append(o == null ? "0 ms" : TextReport.ms(o.gapNanos())).append("</td><td>")
                    .append(o == null ? "0 ms" : TextReport.ms(o.withoutVipNanos())).append("</td><td>")
                    .append(r.requests().failedRequests()).append('/').append(r.requests().requests()).append("</td><td>")
                    .append(r.requests().lostRequests()).append("</td><td>")
                    .append(esc(TextReport.brokenCell(r))).append("</td><td>")
                    .append(r.directors().observed() ? Integer.toString(r.directors().dualMasterEpisodes()) : "-")
                    .append("</td><td class=\"l\">").append(esc(r.expectation().any() ? DrillMeasurements.describe(r.expectation()) : "-"))
                    .append("</td><td class=\"l ").append(r.verdict()).append("\">").append(r.verdict()).append(" (")
                    .append(esc(r.verdictReason())).append(")</td></tr>\n");
        }
        b.append("</table>\n");
    }

    private static void section(StringBuilder b, DrillResult r, int index) {
        b.append("<h2>").append(esc(r.label())).append("</h2>\n");
        b.append("<p>Whole run, successful (up) and failed (down) attempts per ");
        long start = r.startNanos();
        long end = r.endNanos();
        plot(b, r, "timeline-" + index, start, end);
        Outage o = r.primaryOutage();
        if (o != null) {
            long from = Math.max(start, (o.lastOkNanos() >= 0 ? o.lastOkNanos() : o.firstFailNanos()) - 500_000_000L);
            long to = Math.min(end, (o.recovered() ? o.firstOkNanos() : end) + 500_000_000L);
            b.append("<p>The outage, 0.5 s either side, per ");
            plot(b, r, "zoom-" + index, from, to);
        }
        b.append("<pre>").append(esc(TextReport.details(r))).append("</pre>\n");
    }

    /** Draws [from, to) of a run; the caller opened a paragraph that this completes with the bucket width. */
    private static void plot(StringBuilder b, DrillResult r, String id, long from, long to) {
        Buckets k = r.buckets();
        int first = (int) Math.max(0, (from - k.originNanos()) / k.widthNanos());
        int last = (int) Math.min(k.size(), (to - k.originNanos() + k.widthNanos() - 1) / k.widthNanos());
        int span = Math.max(1, last - first);
        int merge = (span + MAX_BARS - 1) / MAX_BARS;
        int bars = (span + merge - 1) / merge;
        long barNanos = k.widthNanos() * merge;
        int[] ok = new int[bars];
        int[] failed = new int[bars];
        int max = 1;
        for (int i = 0; i < span; i++) {
            ok[i / merge] += k.ok()[first + i];
            failed[i / merge] += k.failed()[first + i];
        }
        for (int i = 0; i < bars; i++) {
            max = Math.max(max, Math.max(ok[i], failed[i]));
        }
        long t0 = k.originNanos() + (long) first * k.widthNanos();
        long t1 = t0 + (long) bars * barNanos;
        Scale x = new Scale(t0, t1);
        b.append(String.format(Locale.ROOT, "%.0f ms bucket (%s to %s after the start).</p>\n", barNanos / 1e6,
                TextReport.at(r, t0), TextReport.at(r, t1)));
        b.append(String.format(Locale.ROOT,
                "<svg id=\"%s\" viewBox=\"0 0 %d %d\" xmlns=\"http://www.w3.org/2000/svg\" data-buckets=\"%d\" data-bucket-ms=\"%.0f\">\n",
                id, W, H, bars, barNanos / 1e6));
        // Outage shading below the bars.
        for (Outage o : r.outages()) {
            long until = o.recovered() ? o.firstOkNanos() : r.endNanos();
            if (until < t0 || o.firstFailNanos() > t1) {
                continue;
            }
            long before = o.lastOkNanos() >= 0 ? o.lastOkNanos() : o.firstFailNanos();
            shade(b, x, "novip", before, until, "time without VIP " + TextReport.ms(o.withoutVipNanos()));
            shade(b, x, "gap", o.firstFailNanos(), until, "gap " + TextReport.ms(o.gapNanos()));
        }
        // VIP location bands.
        List<String> nodes = new ArrayList<>();
        for (VipSpan s : r.directors().vipSpans()) {
            if (s.toNanos() < t0 || s.fromNanos() > t1) {
                continue;
            }
            String fill;
            String name;
            if (s.masters().isEmpty()) {
                fill = "#bbbbbb";
                name = "VIP nowhere";
            } else if (s.masters().size() > 1) {
                fill = "#d62728";
                name = "VIP on both: " + String.join("+", s.masters());
            } else {
                String node = s.masters().get(0);
                if (!nodes.contains(node)) {
                    nodes.add(node);
                }
                fill = NODE_COLOURS[nodes.indexOf(node) % NODE_COLOURS.length];
                name = "VIP on " + node;
            }
            double a = x.px(s.fromNanos());
            double w = Math.max(0.5, x.px(s.toNanos()) - a);
            b.append(String.format(Locale.ROOT, "<rect class=\"vip\" x=\"%.2f\" y=\"%d\" width=\"%.2f\" height=\"%d\" fill=\"%s\"><title>%s %s..%s</title></rect>",
                    a, BAND_Y, w, BAND_H, fill, esc(name), TextReport.at(r, s.fromNanos()), TextReport.at(r, s.toNanos())));
            if (w > 60) {
                b.append(String.format(Locale.ROOT, "<text x=\"%.2f\" y=\"%d\" style=\"fill:#fff\">%s</text>", a + 4, BAND_Y + 12, esc(name)));
            }
        }
        if (r.directors().vipSpans().isEmpty()) {
            b.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">VIP location: not observed</text>", LEFT, BAND_Y + 12));
        }
        // Bars.
        double pw = (double) (RIGHT - LEFT) / bars;
        double up = (double) (BASE_Y - PLOT_TOP) / max;
        double down = (double) (PLOT_BOTTOM - BASE_Y) / max;
        for (int i = 0; i < bars; i++) {
            double bx = LEFT + i * pw;
            double bw = Math.max(0.35, pw * 0.9);
            if (ok[i] > 0) {
                b.append(String.format(Locale.ROOT, "<rect class=\"ok\" x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"%.2f\"/>",
                        bx, BASE_Y - ok[i] * up, bw, ok[i] * up));
            }
            if (failed[i] > 0) {
                b.append(String.format(Locale.ROOT, "<rect class=\"fail\" x=\"%.2f\" y=\"%d\" width=\"%.2f\" height=\"%.2f\"/>",
                        bx, BASE_Y, bw, failed[i] * down));
            }
        }
        b.append('\n');
        b.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#999\"/>", LEFT, BASE_Y, RIGHT, BASE_Y));
        b.append(String.format(Locale.ROOT, "<text x=\"4\" y=\"%d\">ok %d</text><text x=\"4\" y=\"%d\">failed %d</text>",
                PLOT_TOP + 10, max, PLOT_BOTTOM, max));
        // VRRP transitions and scenario markers.
        for (VrrpTransition t : r.directors().transitions()) {
            if (t.atNanos() < t0 || t.atNanos() > t1) {
                continue;
            }
            double px = x.px(t.atNanos());
            b.append(String.format(Locale.ROOT, "<line class=\"vrrp\" x1=\"%.2f\" y1=\"%d\" x2=\"%.2f\" y2=\"%d\"><title>%s %s VRID %d %s -> %s</title></line>",
                    px, BAND_Y, px, PLOT_BOTTOM, TextReport.at(r, t.atNanos()), esc(t.node()), t.vrid(), t.from(), t.to()));
        }
        LabelLanes lanes = new LabelLanes(MARKER_LANES);
        for (Marker m : r.directors().markers()) {
            if (m.atNanos() < t0 || m.atNanos() > t1) {
                continue;
            }
            double px = x.px(m.atNanos());
            double width = m.label().length() * CHAR_PX;
            // Right of its line, or left of it where the plot ends; markers close in time get lanes one below the other.
            boolean leftOfLine = px + 3 + width > RIGHT;
            int lane = lanes.place(leftOfLine ? px - 3 - width : px + 3, width);
            b.append(String.format(Locale.ROOT, "<line class=\"mark\" x1=\"%.2f\" y1=\"%d\" x2=\"%.2f\" y2=\"%d\"/><text x=\"%.2f\" y=\"%d\"%s>%s</text>",
                    px, PLOT_TOP, px, PLOT_BOTTOM, leftOfLine ? px - 3 : px + 3, PLOT_TOP + 12 + lane * LANE_PX,
                    leftOfLine ? " text-anchor=\"end\"" : "", esc(m.label())));
        }
        // Long-lived breaks.
        b.append(String.format(Locale.ROOT, "<text x=\"4\" y=\"%d\">breaks</text>", BREAK_Y + 4));
        for (Break br : r.longLived().breaks()) {
            if (br.atNanos() < t0 || br.atNanos() > t1) {
                continue;
            }
            double px = x.px(br.atNanos());
            b.append(String.format(Locale.ROOT, "<line class=\"break\" x1=\"%.2f\" y1=\"%d\" x2=\"%.2f\" y2=\"%d\"><title>connection %d %s at %s (%s)</title></line>",
                    px, BREAK_Y - 6, px, BREAK_Y + 6, br.connection(), br.kind(), TextReport.at(r, br.atNanos()), esc(br.server())));
        }
        axis(b, r, x);
        b.append("</svg>\n");
    }

    private static void shade(StringBuilder b, Scale x, String cls, long from, long to, String title) {
        double a = x.px(from);
        double w = Math.max(1, x.px(to) - a);
        b.append(String.format(Locale.ROOT, "<rect class=\"%s\" x=\"%.2f\" y=\"%d\" width=\"%.2f\" height=\"%d\"><title>%s</title></rect>",
                cls, a, PLOT_TOP, w, PLOT_BOTTOM - PLOT_TOP, esc(title)));
    }

    private static void axis(StringBuilder b, DrillResult r, Scale x) {
        double spanMs = (x.t1 - x.t0) / 1e6;
        double[] steps = {1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10_000, 20_000, 60_000, 120_000, 300_000};
        double step = steps[steps.length - 1];
        for (double s : steps) {
            if (spanMs / s <= 12) {
                step = s;
                break;
            }
        }
        double firstMs = Math.ceil(r.offsetMillis(x.t0) / step) * step;
        b.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#999\"/>", LEFT, AXIS_Y - 10, RIGHT, AXIS_Y - 10));
        for (int i = 0; i < 40; i++) {
            double ms = firstMs + i * step;
            long t = r.startNanos() + (long) (ms * 1e6);
            if (t > x.t1) {
                break;
            }
            double px = x.px(t);
            String label = step >= 1000 ? String.format(Locale.ROOT, "%.0f s", ms / 1000) : String.format(Locale.ROOT, "%.0f ms", ms);
            b.append(String.format(Locale.ROOT, "<line x1=\"%.2f\" y1=\"%d\" x2=\"%.2f\" y2=\"%d\" stroke=\"#999\"/><text x=\"%.2f\" y=\"%d\" text-anchor=\"middle\">%s</text>",
                    px, AXIS_Y - 10, px, AXIS_Y - 6, px, AXIS_Y + 6, label));
        }
    }

    private record Scale(long t0, long t1) {
        double px(long t) {
            double f = (double) (Math.max(t0, Math.min(t1, t)) - t0) / Math.max(1, t1 - t0);
            return LEFT + f * (RIGHT - LEFT);
        }
    }

    static String esc(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }
}
