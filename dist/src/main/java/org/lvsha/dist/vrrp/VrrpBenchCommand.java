package org.lvsha.dist.vrrp;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.lvsha.core.lab.Privileges;
import org.lvsha.dist.lab.AddressPlan;
import org.lvsha.dist.lab.Lab;
import org.lvsha.dist.vrrp.VrrpLab.Node;
import org.lvsha.dist.vrrp.VrrpLab.Settings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code lvsha bench vrrp}: crash failovers or a soak at a short advert interval, on a fresh DR lab
 * (dir1 priority 150, dir2 priority 100, VIP and DIP in one sync group).
 *
 * <p>Failover: the client pings the VIP every millisecond; the master's links go down (one ip batch) and its
 * process is SIGKILLed: a machine that dies, not just a process (a killed process leaves its addresses in the
 * kernel, which would go on answering). Two figures per failover: node-measured (links down to the backup's
 * MASTER transition; both CLOCK_MONOTONIC, across processes) and client-measured (the longest gap between two
 * ping replies, which adds the gratuitous ARP reaching the client and the 1 ms ping spacing).
 *
 * <p>Soak: both nodes at the given interval with every core kept busy by spinning processes, counting
 * transitions after the pair settled (each is spurious) and the nodes' GC pauses from {@code -Xlog:gc}.
 */
@Command(name = "vrrp", mixinStandardHelpOptions = true, description = "VRRP crash-failover times or a soak under CPU load.")
public final class VrrpBenchCommand implements Callable<Integer> {
    private static final int HIGH = 150;
    private static final int LOW = 100;
    private static final Duration WAIT = Duration.ofSeconds(20);

    @Option(names = "--failovers", description = "number of crash failovers (default 10 unless --soak)")
    Integer failovers;

    @Option(names = "--soak", description = "soak duration, e.g. 2m, 600s")
    String soak;

    @Option(names = "--interval", defaultValue = "100ms", description = "advert interval (default 100ms; the soak wants 10ms)")
    String interval;

    @Option(names = "--gc", defaultValue = "serial", description = "nodes' collector: serial, shenandoah, g1, z")
    String gc;

    @Option(names = "--load", defaultValue = "-1", description = "busy-loop processes during the soak (default: one per core)")
    int load;

    @Option(names = "--realtime-priority", defaultValue = "10",
            description = "nodes' VRRP thread SCHED_RR priority (0: normal scheduling), see lvsha vrrp --realtime-priority")
    int realtimePriority;

    @Override
    public Integer call() throws Exception {
        if (!Privileges.netnsAvailable()) {
            System.err.println("lvsha bench vrrp: needs root and network namespaces: " + Privileges.netnsUnavailableReason().orElse(""));
            return 2;
        }
        int advertMs = (int) millis(interval);
        try (VrrpLab lab = VrrpLab.create("vb", Lab.dr(1))) {
            if (soak != null) {
                return soak(lab, advertMs, millis(soak));
            }
            return failovers(lab, advertMs, failovers == null ? 10 : failovers);
        }
    }

    private List<String> jvm(VrrpLab lab, String host) {
        List<String> o = new ArrayList<>(List.of("-Xms32m", "-Xmx64m", "-Xss512k", "-XX:+AlwaysPreTouch", "-Xshare:auto"));
        o.add(switch (gc) {
            case "shenandoah" -> "-XX:+UseShenandoahGC";
            case "g1" -> "-XX:+UseG1GC";
            case "z" -> "-XX:+UseZGC";
            default -> "-XX:+UseSerialGC";
        });
        o.add("-Xlog:gc,safepoint:file=" + lab.dir().resolve(host + "-gc.log") + ":uptime");
        return o;
    }

    private List<String> vrrpArgs() {
        return List.of("--realtime-priority", String.valueOf(realtimePriority));
    }

    private Node[] startPair(VrrpLab lab, int advertMs) {
        Node d1 = lab.start("dir1", VrrpLab.directorConfig(1, HIGH, Settings.v3(advertMs)), jvm(lab, "dir1"), vrrpArgs());
        d1.awaitState("vip", "MASTER", WAIT);
        d1.awaitState("dip", "MASTER", WAIT);
        Node d2 = lab.start("dir2", VrrpLab.directorConfig(2, LOW, Settings.v3(advertMs)), jvm(lab, "dir2"), vrrpArgs());
        d2.awaitState("vip", "BACKUP", WAIT);
        d2.awaitState("dip", "BACKUP", WAIT);
        return new Node[] {d1, d2};
    }

    private int failovers(VrrpLab lab, int advertMs, int n) throws Exception {
        double bound = VrrpLab.masterDownMillis(advertMs, LOW);
        System.out.printf("lvsha bench vrrp: %d crash failovers, advert %d ms, bound 3 x advert + skew = %.1f ms (backup priority %d),"
                + " VRRP thread SCHED_RR %d, load average before %s%n", n, advertMs, bound, LOW, realtimePriority, loadAverage());
        System.out.println("  #  node-measured (links down -> backup MASTER)   client-measured (longest gap between 1 ms pings)"
                + " = last reply -> links-down seen + protocol + MASTER -> first reply");
        Node[] pair = startPair(lab, advertMs);
        Path batch = lab.dir().resolve("links-down.batch");
        Files.writeString(batch, "link set eth0 down\nlink set eth1 down\n");
        List<Double> nodeMs = new ArrayList<>();
        List<Double> clientMs = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            Path pingLog = lab.dir().resolve("ping-" + i + ".log");
            Process ping = lab.netns().spawn(lab.ns("client"), List.of("ping", "-D", "-n", "-i", "0.001", "-W", "1", "-w",
                    "30", AddressPlan.VIP4), pingLog.toFile());
            VrrpLab.await(WAIT, () -> count(pingLog, "bytes from") > 20, () -> "client pings answered");
            // Several advert intervals between the last restart and the crash: the backup follows the master.
            // The machine dies: both links down in one ip(8) batch, then the process is killed. t0 is when the
            // batch has returned, so the links are down at t0 (by less than the exit of ip, ~1 ms).
            long zeroBefore = pair[1].status().path("counters").path("priority0_received").asLong();
            double lateMs = pair[0].status().path("counters").path("max_advert_late_ms").asDouble();
            lab.exec("dir1", "ip", "-batch", batch.toString());
            long t0 = System.nanoTime();
            java.time.Instant t0Wall = java.time.Instant.now();
            pair[0].process.destroyForcibly();
            pair[1].awaitState("vip", "MASTER", WAIT);
            pair[1].awaitState("dip", "MASTER", WAIT);
            double node = (pair[1].eventTime("vip", "MASTER", t0) - t0) / 1e6;
            int before = count(pingLog, "bytes from");
            VrrpLab.await(WAIT, () -> count(pingLog, "bytes from") > before + 20, () -> "pings answered by dir2");
            ping.destroy();
            ping.waitFor(5, TimeUnit.SECONDS);
            double[] gap = longestGap(pingLog);
            double client = gap[1] - gap[0];
            double wall0 = t0Wall.getEpochSecond() * 1000.0 + t0Wall.getNano() / 1e6;
            long zeroAfter = pair[1].status().path("counters").path("priority0_received").asLong();
            if (node < bound - advertMs - 5 || zeroAfter != zeroBefore) {
                System.out.printf("     early: dir2 received %d priority-0 adverts; dir1's adverts were up to %.1f ms late%n",
                        zeroAfter - zeroBefore, lateMs);
            }
            nodeMs.add(node);
            clientMs.add(client);
            // The split of the client's gap: last reply -> t0 (the ip batch's exit and this JVM noticing it),
            // t0 -> MASTER (the protocol), MASTER -> first reply (addresses, gratuitous ARP, the client's next ping).
            System.out.printf("%3d  %8.1f ms                                   %8.1f ms   = %.1f + %.1f + %.1f%n", i, node, client,
                    wall0 - gap[0], node, gap[1] - wall0 - node);
            pair[0].process.waitFor(5, TimeUnit.SECONDS);
            // Back to the start: dir1 returns (links up, fresh process) and preempts; dir2 is backup again.
            lab.exec("dir1", "sh", "-c", "ip link set eth0 up; ip link set eth1 up");
            Node d1 = lab.start("dir1", VrrpLab.directorConfig(1, HIGH, Settings.v3(advertMs)), jvm(lab, "dir1"), vrrpArgs());
            d1.awaitState("vip", "MASTER", WAIT);
            pair[1].awaitState("vip", "BACKUP", WAIT);
            pair[1].awaitState("dip", "BACKUP", WAIT);
            VrrpLab.await(WAIT, () -> lab.exec("client", "ip", "neigh", "show", AddressPlan.VIP4)
                    .contains(AddressPlan.Net.OUTSIDE.mac(AddressPlan.DIR1)), () -> "client ARP back on dir1");
            pair[0] = d1;
        }
        System.out.printf("node-measured:   min %.1f  median %.1f  max %.1f ms (bound %.1f ms)%n", min(nodeMs), median(nodeMs), max(nodeMs), bound);
        System.out.printf("client-measured: min %.1f  median %.1f  max %.1f ms (bound %.1f ms + ARP)%n", min(clientMs), median(clientMs),
                max(clientMs), bound);
        return 0;
    }

    private int soak(VrrpLab lab, int advertMs, long durationMs) throws Exception {
        int spinners = load >= 0 ? load : Runtime.getRuntime().availableProcessors();
        System.out.printf("lvsha bench vrrp: soak %d s at %d ms adverts (Master_Down_Interval %.1f ms), %d busy-loop processes, GC %s,"
                + " VRRP thread SCHED_RR %d, load average before %s%n", durationMs / 1000, advertMs, VrrpLab.masterDownMillis(advertMs, LOW),
                spinners, gc, realtimePriority, loadAverage());
        Node[] pair = startPair(lab, advertMs);
        long settled1 = pair[0].transitions();
        long settled2 = pair[1].transitions();
        List<Process> busy = new ArrayList<>();
        long secs = Math.max(1, durationMs / 1000);
        try {
            for (int i = 0; i < spinners; i++) {
                // Bounded by timeout(1) even if this JVM dies: the load ends with the soak.
                busy.add(new ProcessBuilder("timeout", String.valueOf(secs + 5), "sh", "-c", "while :; do :; done").start());
            }
            long end = System.nanoTime() + durationMs * 1_000_000L;
            long nextReport = System.nanoTime() + 30_000_000_000L;
            while (System.nanoTime() < end && pair[0].process.isAlive() && pair[1].process.isAlive()) {
                Thread.sleep(Math.min(1000, Math.max(1, (end - System.nanoTime()) / 1_000_000)));
                if (System.nanoTime() > nextReport) {
                    nextReport += 30_000_000_000L;
                    System.out.printf("  ... spurious transitions so far: dir1 %d, dir2 %d%n", pair[0].transitions() - settled1,
                            pair[1].transitions() - settled2);
                }
            }
        } finally {
            for (Process p : busy) {
                p.destroyForcibly();
            }
        }
        long s1 = pair[0].transitions() - settled1;
        long s2 = pair[1].transitions() - settled2;
        System.out.printf("spurious transitions: dir1 %d, dir2 %d (states now: dir1 %s, dir2 %s)%n", s1, s2, pair[0].state("vip"),
                pair[1].state("vip"));
        System.out.printf("adverts: dir1 sent %d, dir2 received %d; dir1's latest advert was %.2f ms late at worst%n",
                pair[0].status().path("counters").path("sent").asLong(), pair[1].status().path("counters").path("received").asLong(),
                pair[0].status().path("counters").path("max_advert_late_ms").asDouble());
        Path keep = Files.createTempDirectory("lvsha-bench-vrrp-");
        for (String host : List.of("dir1", "dir2")) {
            Path gcLog = lab.dir().resolve(host + "-gc.log");
            System.out.println(host + " " + gcSummary(gcLog));
            if (Files.exists(gcLog)) {
                Files.copy(gcLog, keep.resolve(host + "-gc.log"));
            }
        }
        System.out.println("GC logs kept in " + keep);
        if (s1 + s2 > 0) {
            for (Node n : pair) {
                n.events().forEach(e -> System.out.println("  " + n.host + " " + e));
            }
        }
        return s1 + s2 == 0 ? 0 : 1;
    }

    /** GC pauses ("Pause ... 1.234ms") and the longest safepoint ("Total: N ns") from -Xlog:gc,safepoint. */
    static String gcSummary(Path log) throws IOException {
        if (!Files.exists(log)) {
            return "no GC log";
        }
        Pattern pause = Pattern.compile("Pause.* (\\d+\\.\\d+)ms");
        Pattern safepoint = Pattern.compile("Total: (\\d+) ns");
        List<Double> pauses = new ArrayList<>();
        double maxSafepoint = 0;
        for (String line : Files.readAllLines(log)) {
            Matcher m = pause.matcher(line);
            if (m.find()) {
                pauses.add(Double.parseDouble(m.group(1)));
            }
            Matcher s = safepoint.matcher(line);
            if (s.find()) {
                maxSafepoint = Math.max(maxSafepoint, Long.parseLong(s.group(1)) / 1e6);
            }
        }
        return String.format("GC pauses: %d, max %.2f ms, total %.1f ms; longest safepoint %.2f ms", pauses.size(),
                pauses.isEmpty() ? 0 : max(pauses), pauses.stream().mapToDouble(Double::doubleValue).sum(), maxSafepoint);
    }

    static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "?";
        }
    }

    static int count(Path log, String needle) {
        try {
            return (int) Files.readAllLines(log).stream().filter(l -> l.contains(needle)).count();
        } catch (IOException e) {
            return 0;
        }
    }

    /** ping -D lines start with [UNIX.TIME]; the longest interval between two consecutive replies, as {start, end} in epoch ms. */
    static double[] longestGap(Path log) throws IOException {
        Pattern p = Pattern.compile("^\\[(\\d+\\.\\d+)] \\d+ bytes from");
        double prev = -1;
        double[] gap = {0, 0};
        for (String line : Files.readAllLines(log)) {
            Matcher m = p.matcher(line);
            if (m.find()) {
                double t = Double.parseDouble(m.group(1)) * 1000;
                if (prev >= 0 && t - prev > gap[1] - gap[0]) {
                    gap[0] = prev;
                    gap[1] = t;
                }
                prev = t;
            }
        }
        return gap;
    }

    static long millis(String d) {
        Matcher m = Pattern.compile("(\\d+)(ms|s|m)").matcher(d.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("not a duration like 10ms, 120s, 2m: " + d);
        }
        long x = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> x;
            case "s" -> x * 1000;
            default -> x * 60_000;
        };
    }

    static double min(List<Double> v) {
        return Collections.min(v);
    }

    static double max(List<Double> v) {
        return Collections.max(v);
    }

    static double median(List<Double> v) {
        List<Double> s = new ArrayList<>(v);
        Collections.sort(s);
        return s.get(s.size() / 2);
    }
}
