package org.lvsha.dist.drill;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.lvsha.dist.drill.DrillResult.Break;
import org.lvsha.dist.drill.DrillResult.Buckets;
import org.lvsha.dist.drill.DrillResult.Directors;
import org.lvsha.dist.drill.DrillResult.LongLived;
import org.lvsha.dist.drill.DrillResult.Outage;
import org.lvsha.dist.drill.DrillResult.Requests;
import org.lvsha.dist.drill.DrillResult.Verdict;
import org.lvsha.dist.drill.DrillResult.VipSpan;
import org.lvsha.dist.drill.TimelineEvent.Marker;
import org.lvsha.dist.drill.TimelineEvent.SyncLag;
import org.lvsha.dist.drill.TimelineEvent.VipAddress;
import org.lvsha.dist.drill.TimelineEvent.VrrpRole;
import org.lvsha.dist.drill.TimelineEvent.VrrpTransition;

/**
 * Turns a {@link TrafficLog} and the director {@link TimelineEvent}s into a {@link DrillResult}.
 * Pure: same inputs, same result; no clock, no I/O.
 *
 * <p>Definitions (also printed in every report, {@link #DEFINITIONS}). An attempt's time is when it
 * started (the SYN went out): that is the moment its outcome says something about the VIP; except
 * for a reset, which breaks a connection that was working, and so happened when it arrived
 * ({@link #instant}).
 * <ul>
 *   <li><b>outage</b>: a maximal run of failed attempts when all attempts are ordered by start time;</li>
 *   <li><b>client-visible gap</b>: from the first failed attempt of the outage to the first successful
 *       attempt after it — a lower bound of the true outage;</li>
 *   <li><b>time without a working VIP</b>: from the last successful attempt before the outage to the
 *       first successful one after it — an upper bound. The true outage lies between the two, which
 *       differ by at most one request spacing (1/rate) on each side;</li>
 *   <li><b>failed request</b>: its first attempt failed; <b>retried</b>: it had a second attempt;
 *       <b>lost</b>: every attempt failed;</li>
 *   <li><b>broken long-lived connection</b>: reset or closed by the peer, no echo within the stall
 *       threshold, echo from another real server, or a wrong echo; <b>survived</b>: established and
 *       none of those until the end of the run.</li>
 * </ul>
 */
public final class DrillMeasurements {
    public static final long BUCKET_NANOS = 10_000_000L;
    /** Buckets beyond this many are not kept (a 10 ms bucket for 1 hour is 360 000). */
    public static final int MAX_BUCKETS = 400_000;

    public static final List<String> DEFINITIONS = List.of(
            "an attempt's time is when it started (the SYN left), or for a reset when the reset arrived; client monotonic clock, relative to the traffic start",
            "outage: a run of consecutive failed attempts, attempts ordered by their time",
            "gap (client-visible): first failed attempt -> first successful attempt after it (lower bound)",
            "time without VIP: last successful attempt before the outage -> first successful attempt after it (upper bound)",
            "failed request: its first attempt failed; retried: it was attempted again; lost: all its attempts failed",
            "long-lived broken: reset/closed by peer, no echo within the stall threshold, echo from another real server, or a wrong echo",
            "sync lag then: the largest replication lag (event on the master -> applied on the new master) over the ~2 s before the event, lab drills only");

    private DrillMeasurements() {
    }

    /** Analyzes a run; {@code vipVrid} names the VRRP instance whose master holds the VIP. */
    public static DrillResult analyze(String label, TrafficLog log, List<TimelineEvent> events, int vipVrid,
                                      int rate, Expectation expectation) {
        long start = log.startNanos();
        long end = Math.max(log.endNanos(), start);
        Integer[] order = startOrder(log);
        Requests requests = requests(log, order);
        List<Outage> outages = outages(log, order, start, end);
        LongLived longLived = longLived(log);
        Buckets buckets = buckets(log, start, end, BUCKET_NANOS);
        Directors directors = directors(events, vipVrid, start, end);
        DrillResult draft = new DrillResult(label, log.target(), start, end, log.startEpochMillis(),
                1_000_000_000L / Math.max(1, rate), requests, outages, longLived, buckets, directors, expectation,
                Verdict.INFO, "");
        String reason = verdictReason(draft, expectation);
        Verdict verdict = !expectation.any() ? Verdict.INFO : reason.isEmpty() ? Verdict.PASS : Verdict.FAIL;
        if (verdict == Verdict.INFO) {
            reason = "no bound given";
        } else if (verdict == Verdict.PASS) {
            reason = "within " + describe(expectation);
        }
        return new DrillResult(label, log.target(), start, end, log.startEpochMillis(), draft.requestSpacingNanos(),
                requests, outages, longLived, buckets, directors, expectation, verdict, reason);
    }

    /**
     * When an attempt's outcome happened: its start (a refused or unanswered SYN, a success), or
     * its end for {@link RequestOutcome#RESET} — a connection that had been accepted and was then
     * torn down, e.g. a request in flight when a real server or director died. Timing those by
     * their start would date the outage before the event that caused it.
     */
    static long instant(TrafficLog log, int row) {
        return log.attemptOutcome(row) == RequestOutcome.RESET && log.attemptEnd(row) >= 0
                ? log.attemptEnd(row) : log.attemptStart(row);
    }

    static Integer[] startOrder(TrafficLog log) {
        Integer[] order = new Integer[log.attempts()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        // Stable: rows with the same instant keep their log order.
        Arrays.sort(order, (a, b) -> Long.compare(instant(log, a), instant(log, b)));
        return order;
    }

    static Requests requests(TrafficLog log, Integer[] order) {
        Map<Integer, int[]> byRequest = new HashMap<>(); // request -> {attempts, ok, firstFailed}
        Map<RequestOutcome, Integer> failures = new EnumMap<>(RequestOutcome.class);
        Map<String, Integer> okByServer = new TreeMap<>();
        int ok = 0;
        for (int i = 0; i < log.attempts(); i++) {
            RequestOutcome o = log.attemptOutcome(i);
            int[] r = byRequest.computeIfAbsent(log.attemptRequest(i), k -> new int[3]);
            r[0]++;
            if (o.ok()) {
                ok++;
                r[1]++;
                okByServer.merge(log.serverName(log.attemptServer(i)), 1, Integer::sum);
            } else {
                failures.merge(o, 1, Integer::sum);
                if (log.attemptNumber(i) == 0) {
                    r[2] = 1;
                }
            }
        }
        int failedRequests = 0;
        int retried = 0;
        int recovered = 0;
        int lost = 0;
        for (int[] r : byRequest.values()) {
            failedRequests += r[2];
            if (r[0] > 1) {
                retried++;
            }
            if (r[2] == 1 && r[1] > 0) {
                recovered++;
            }
            if (r[1] == 0) {
                lost++;
            }
        }
        long pause = 0;
        long pauseAt = -1;
        long previous = -1;
        for (int row : order) {
            if (log.attemptNumber(row) != 0) {
                continue;
            }
            long t = log.attemptStart(row);
            if (previous >= 0 && t - previous > pause) {
                pause = t - previous;
                pauseAt = previous;
            }
            previous = t;
        }
        return new Requests(byRequest.size(), log.attempts(), ok, log.attempts() - ok, failedRequests, retried,
                recovered, lost, failures, okByServer, pause, pauseAt);
    }

    static List<Outage> outages(TrafficLog log, Integer[] order, long start, long end) {
        List<Outage> out = new ArrayList<>();
        long lastOk = -1;
        long firstFail = -1;
        long lastOkBefore = -1;
        int failed = 0;
        for (int row : order) {
            long t = instant(log, row);
            if (log.attemptOutcome(row).ok()) {
                if (failed > 0) {
                    out.add(outage(lastOkBefore, firstFail, t, failed));
                    failed = 0;
                }
                lastOk = t;
            } else {
                if (failed == 0) {
                    firstFail = t;
                    lastOkBefore = lastOk;
                }
                failed++;
            }
        }
        if (failed > 0) {
            out.add(outage(lastOkBefore, firstFail, -1, failed, end));
        }
        return out;
    }

    private static Outage outage(long lastOk, long firstFail, long firstOk, int failed) {
        return outage(lastOk, firstFail, firstOk, failed, firstOk);
    }

    private static Outage outage(long lastOk, long firstFail, long firstOk, int failed, long until) {
        long gap = until - firstFail;
        long without = until - (lastOk < 0 ? firstFail : lastOk);
        return new Outage(lastOk, firstFail, firstOk, failed, gap, without, firstOk >= 0);
    }

    static LongLived longLived(TrafficLog log) {
        Map<Integer, Boolean> established = new TreeMap<>();
        Map<Integer, Break> firstBreak = new TreeMap<>();
        Map<StreamEvent, Integer> kinds = new EnumMap<>(StreamEvent.class);
        TreeSet<Integer> failed = new TreeSet<>();
        long maxLatency = 0;
        for (int i = 0; i < log.events(); i++) {
            int c = log.eventConnection(i);
            StreamEvent k = log.eventKind(i);
            switch (k) {
                case CONNECTED -> established.put(c, true);
                case CONNECT_FAILED -> failed.add(c);
                case ECHO -> maxLatency = Math.max(maxLatency, log.eventLatency(i));
                default -> {
                }
            }
            if (k.breaks() && !firstBreak.containsKey(c)) {
                firstBreak.put(c, new Break(c, log.eventTime(i), k, log.serverName(log.eventServer(i))));
                kinds.merge(k, 1, Integer::sum);
            }
        }
        // A connection that failed to connect cannot also break.
        firstBreak.keySet().removeIf(c -> !established.containsKey(c));
        int opened = established.size() + (int) failed.stream().filter(c -> !established.containsKey(c)).count();
        int broken = firstBreak.size();
        List<Break> breaks = new ArrayList<>(firstBreak.values());
        breaks.sort((a, b) -> Long.compare(a.atNanos(), b.atNanos()));
        Map<StreamEvent, Integer> kept = new EnumMap<>(StreamEvent.class);
        for (Break b : breaks) {
            kept.merge(b.kind(), 1, Integer::sum);
        }
        return new LongLived(opened, established.size(), established.size() - broken, broken,
                opened - established.size(), kept, breaks, maxLatency);
    }

    static Buckets buckets(TrafficLog log, long start, long end, long width) {
        int n = (int) Math.min(MAX_BUCKETS, Math.max(1, (end - start) / width + 1));
        int[] ok = new int[n];
        int[] failed = new int[n];
        for (int i = 0; i < log.attempts(); i++) {
            long b = (instant(log, i) - start) / width;
            if (b < 0 || b >= n) {
                continue;
            }
            if (log.attemptOutcome(i).ok()) {
                ok[(int) b]++;
            } else {
                failed[(int) b]++;
            }
        }
        return new Buckets(start, width, ok, failed);
    }

    static Directors directors(List<TimelineEvent> events, int vipVrid, long start, long end) {
        List<VrrpTransition> transitions = new ArrayList<>();
        List<Marker> markers = new ArrayList<>();
        List<SyncLag> lags = new ArrayList<>();
        for (TimelineEvent e : events) {
            if (e instanceof VrrpTransition t) {
                transitions.add(t);
            } else if (e instanceof Marker m) {
                markers.add(m);
            } else if (e instanceof SyncLag l) {
                lags.add(l);
            }
        }
        transitions.sort((a, b) -> Long.compare(a.atNanos(), b.atNanos()));
        markers.sort((a, b) -> Long.compare(a.atNanos(), b.atNanos()));
        List<VrrpTransition> vip = transitions.stream().filter(t -> t.vrid() == vipVrid).toList();
        List<VipAddress> addresses = new ArrayList<>();
        for (TimelineEvent e : events) {
            if (e instanceof VipAddress a) {
                addresses.add(a);
            }
        }
        addresses.sort((a, b) -> Long.compare(a.atNanos(), b.atNanos()));

        // One holder map per source, replayed in time order; spans are cut where the holder set changes.
        // Before its first event a node was in that event's "before" state (VRRP: the "from" role).
        Map<String, Boolean> holds = new LinkedHashMap<>();
        String source;
        if (!addresses.isEmpty()) {
            source = "addresses";
            for (VipAddress a : addresses) {
                holds.putIfAbsent(a.node(), !a.present());
            }
        } else if (!vip.isEmpty()) {
            source = "vrrp";
            for (VrrpTransition t : vip) {
                holds.putIfAbsent(t.node(), t.from() == VrrpRole.MASTER);
            }
        } else {
            source = "";
        }
        List<VipSpan> spans = new ArrayList<>();
        long spanStart = start;
        int n = source.equals("addresses") ? addresses.size() : source.equals("vrrp") ? vip.size() : 0;
        for (int i = 0; i < n; i++) {
            long t;
            String node;
            boolean now;
            if (source.equals("addresses")) {
                t = addresses.get(i).atNanos();
                node = addresses.get(i).node();
                now = addresses.get(i).present();
            } else {
                t = vip.get(i).atNanos();
                node = vip.get(i).node();
                now = vip.get(i).to() == VrrpRole.MASTER;
            }
            long at = Math.max(start, Math.min(end, t));
            List<String> before = holders(holds);
            holds.put(node, now);
            if (!holders(holds).equals(before)) {
                if (at > spanStart) {
                    spans.add(new VipSpan(spanStart, at, before));
                }
                spanStart = at;
            }
        }
        if (n > 0 && end > spanStart) {
            spans.add(new VipSpan(spanStart, end, holders(holds)));
        }
        int dual = 0;
        long dualNanos = 0;
        boolean inDual = false;
        for (VipSpan s : spans) {
            boolean d = s.masters().size() > 1;
            if (d && !inDual) {
                dual++;
            }
            if (d) {
                dualNanos += s.toNanos() - s.fromNanos();
            }
            inDual = d;
        }

        // The failover: the first node to become master after the trigger (or the start).
        long after = markers.stream().filter(m -> m.label().startsWith("trigger")).mapToLong(Marker::atNanos)
                .findFirst().orElse(start);
        VrrpTransition failover = vip.stream().filter(t -> t.to() == VrrpRole.MASTER && t.atNanos() >= after)
                .findFirst().orElse(null);
        String failoverNode = failover == null ? "" : failover.node();
        long failoverAt = failover == null ? -1 : failover.atNanos();
        if (failover == null) {
            // Without VRRP events, the first node the VIP appeared on after the trigger.
            for (VipAddress a : addresses) {
                if (a.present() && a.atNanos() >= after) {
                    failoverNode = a.node();
                    failoverAt = a.atNanos();
                    break;
                }
            }
        }
        long lag = -1;
        if (failoverAt >= 0) {
            lags.sort((a, b) -> Long.compare(a.atNanos(), b.atNanos()));
            for (SyncLag l : lags) {
                if (l.node().equals(failoverNode) && l.atNanos() <= failoverAt) {
                    lag = l.lagNanos(); // in time order: the last sample before the failover wins
                }
            }
        }
        return new Directors(vipVrid, source, transitions, spans, dual, dualNanos, failoverNode, failoverAt, lag, markers);
    }

    private static List<String> holders(Map<String, Boolean> holds) {
        List<String> m = new ArrayList<>();
        holds.forEach((node, h) -> {
            if (h) {
                m.add(node);
            }
        });
        m.sort(null);
        return m;
    }

    static String verdictReason(DrillResult r, Expectation e) {
        List<String> why = new ArrayList<>();
        Outage worst = r.worstOutage();
        long gap = worst == null ? 0 : worst.gapNanos();
        if (e.bound() != null && gap > e.bound().toNanos() + e.tolerance().toNanos()) {
            why.add(String.format(java.util.Locale.ROOT, "gap %.1f ms > %s %.1f ms + %.1f ms", gap / 1e6,
                    e.boundName(), e.bound().toNanos() / 1e6, e.tolerance().toNanos() / 1e6));
        }
        if (worst != null && !worst.recovered()) {
            why.add("service not back at the end of the traffic");
        }
        if (r.requests().failedRequests() > e.maxFailedRequests()) {
            why.add(r.requests().failedRequests() + " failed requests > " + e.maxFailedRequests());
        }
        if (e.longLivedMustSurvive() && (r.brokenByDirectors() > 0 || r.longLived().notEstablished() > 0)) {
            why.add(r.brokenByDirectors() + " long-lived broken" + (e.failedServer().isEmpty() ? "" : " not on " + e.failedServer())
                    + (r.longLived().notEstablished() > 0
                    ? ", " + r.longLived().notEstablished() + " never established" : ""));
        }
        if (r.directors().dualMasterEpisodes() > 0 && e.any() && r.directors().dualMasterNanos() > e.overlapAllowed().toNanos()) {
            why.add("VIP on two directors at once " + r.directors().dualMasterEpisodes() + " time(s)"
                    + String.format(java.util.Locale.ROOT, ", %.1f ms", r.directors().dualMasterNanos() / 1e6)
                    + (e.overlapAllowed().isZero() ? "" : " > " + e.overlapAllowed().toMillis() + " ms make-before-break"));
        }
        return String.join("; ", why);
    }

    static String describe(Expectation e) {
        List<String> parts = new ArrayList<>();
        if (e.bound() != null) {
            parts.add(String.format(java.util.Locale.ROOT, "%s %.1f ms + %.1f ms", e.boundName(),
                    e.bound().toNanos() / 1e6, e.tolerance().toNanos() / 1e6));
        }
        if (e.maxFailedRequests() != Integer.MAX_VALUE) {
            parts.add("<= " + e.maxFailedRequests() + " failed");
        }
        if (e.longLivedMustSurvive()) {
            parts.add(e.failedServer().isEmpty() ? "all long-lived survive" : "all long-lived not on " + e.failedServer() + " survive");
        }
        return String.join(", ", parts);
    }
}
