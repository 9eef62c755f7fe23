package org.lvsha.health.bench;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.lvsha.core.metrics.LatencyHistogram;
import org.lvsha.health.check.CheckTransport;
import org.lvsha.health.config.CheckTiming;
import org.lvsha.health.config.DurationText;
import org.lvsha.health.config.FailureAction;
import org.lvsha.health.config.RealServerHealth;
import org.lvsha.health.config.ServiceHealth;
import org.lvsha.health.config.TcpCheck;
import org.lvsha.health.engine.HealthEngine;
import org.lvsha.health.event.HealthEvent;

/**
 * Benchmark (not a test): M real servers, each a TCP listener on a loopback alias address
 * ({@code 127.77.X.Y}, up to 1000 ports per address from port 10000; Linux routes all of 127/8 to {@code lo}
 * without configuration), checked with a TCP connect check by one {@link HealthEngine}. Listeners live in
 * separate server processes (at most 15 000 each) so the checker process's CPU figure is the checker's own,
 * and the file-descriptor limit applies per process. Halfway through, the listeners of F servers are closed
 * (the kernel then answers RST) and the time until each is declared down is measured against the bound
 * {@code interval * fall + timeout}.
 *
 * <pre>
 * java -cp ... org.lvsha.health.bench.HealthBench [--servers 10000] [--duration 30s] [--fail 200]
 *      [--interval 1s] [--timeout 1s] [--rise 2] [--fall 3] [--retry 1s] [--jitter 50ms] [--loops 1]
 * </pre>
 * Needs an open-file limit above servers/processes plus a margin (a wrapper: {@code health/bench/health-bench.sh}).
 */
public final class HealthBench {
    private static final int PORTS_PER_ADDRESS = 1000;
    private static final int FIRST_PORT = 10000;
    private static final int PER_PROCESS = 15000;

    private HealthBench() {
    }

    static InetSocketAddress addressOf(int i) {
        int a = i / PORTS_PER_ADDRESS;
        return new InetSocketAddress("127.77." + (a / 250) + "." + (a % 250 + 1), FIRST_PORT + i % PORTS_PER_ADDRESS);
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("serve")) {
            serve(Integer.parseInt(args[1]), Integer.parseInt(args[2]));
            return;
        }
        Map<String, String> o = options(args);
        int servers = Integer.parseInt(o.getOrDefault("servers", "10000"));
        Duration duration = DurationText.parse(o.getOrDefault("duration", "30s"));
        int fail = Integer.parseInt(o.getOrDefault("fail", "200"));
        int loops = Integer.parseInt(o.getOrDefault("loops", "1"));
        CheckTiming timing = new CheckTiming(DurationText.parse(o.getOrDefault("interval", "1s")),
                DurationText.parse(o.getOrDefault("timeout", "1s")), Integer.parseInt(o.getOrDefault("rise", "2")),
                Integer.parseInt(o.getOrDefault("fall", "3")), DurationText.parse(o.getOrDefault("retry", "1s")),
                DurationText.parse(o.getOrDefault("jitter", "50ms")));
        PrintStream out = System.out;
        out.printf("health bench: %d servers (TCP connect checks on 127.77.x.y loopback aliases), %d check event loop(s), "
                + "interval %s timeout %s rise %d fall %d retry %s jitter %s, %s, failing %d at half time%n",
                servers, loops, timing.interval(), timing.timeout(), timing.rise(), timing.fall(), timing.retryDelay(),
                timing.jitter(), duration, fail);

        // 1. listeners in child processes
        List<Process> children = new ArrayList<>();
        List<BufferedReader> childOut = new ArrayList<>();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        for (int start = 0; start < servers; start += PER_PROCESS) {
            int count = Math.min(PER_PROCESS, servers - start);
            Process p = new ProcessBuilder(java, "-Xmx256m", "-XX:+UseSerialGC",
                    "-Dlogback.configurationFile=" + System.getProperty("logback.configurationFile", ""),
                    "-cp", System.getProperty("java.class.path"),
                    HealthBench.class.getName(), "serve", Integer.toString(start), Integer.toString(count))
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            children.add(p);
            BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            childOut.add(r);
            String ready = lineStartingWith(r, "READY");
            if (ready == null || !ready.startsWith("READY")) {
                children.forEach(Process::destroyForcibly);
                throw new IllegalStateException("server process for " + start + ".." + (start + count) + " failed: " + ready);
            }
        }
        out.printf("listeners ready in %d server process(es); load average %s%n", children.size(), loadAverage());

        // 2. the engine
        List<RealServerHealth> rss = new ArrayList<>(servers);
        for (int i = 0; i < servers; i++) {
            InetSocketAddress a = addressOf(i);
            rss.add(RealServerHealth.of(a.getHostString(), a.getPort(), 10, new TcpCheck(null, null)));
        }
        ServiceHealth service = new ServiceHealth("tcp:203.0.113.100:80", FailureAction.inhibit, timing, null, null, null, null, rss);
        Set<String> failing = new HashSet<>();
        for (int i = 0; i < fail; i++) {
            failing.add(rss.get(i * (servers / Math.max(1, fail)) % servers).id());
        }
        Map<String, Long> downAt = new ConcurrentHashMap<>();
        AtomicLong falseDowns = new AtomicLong();
        AtomicLong sinkUpdates = new AtomicLong();
        try (CheckTransport transport = CheckTransport.create(loops, 1)) {
            HealthEngine engine = HealthEngine.builder().services(List.of(service)).transport(transport)
                    .sink(changed -> sinkUpdates.addAndGet(changed.size()))
                    .listener(e -> {
                        if (e.kind() == HealthEvent.Kind.SERVER_DOWN) {
                            if (failing.contains(e.realServerId())) {
                                downAt.putIfAbsent(e.realServerId(), e.atNanos());
                            } else {
                                falseDowns.incrementAndGet();
                            }
                        }
                    }).build();
            engine.setActive(true).join();
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            com.sun.management.OperatingSystemMXBean os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            long t0 = System.nanoTime();
            engine.start();
            // steady-state window: from 2 intervals after start until the failure is injected
            long warm = t0 + 2 * timing.interval().toNanos();
            long failAt = t0 + duration.toNanos() / 2;
            long end = t0 + duration.toNanos();
            sleepUntil(warm);
            long cpu0 = os.getProcessCpuTime();
            long loopCpu0 = checkLoopCpu(threads);
            long loopUser0 = checkLoopUser(threads);
            long runQueue0 = checkLoopRunQueueWait();
            long serversCpu0 = processCpuNanos(children);
            long checks0 = engine.counters().checksRun();
            LatencyHistogram latency0 = engine.counters().latency().copy();
            long wall0 = System.nanoTime();
            sleepUntil(failAt);
            long cpu1 = os.getProcessCpuTime();
            long loopCpu1 = checkLoopCpu(threads);
            long loopUser1 = checkLoopUser(threads);
            long runQueue1 = checkLoopRunQueueWait();
            long serversCpu1 = processCpuNanos(children);
            long checks1 = engine.counters().checksRun();
            LatencyHistogram steadyLatency = engine.counters().latency().since(latency0);
            long wall1 = System.nanoTime();

            // 3. inject: close the listeners of the failing servers
            long tFail = Long.MAX_VALUE;
            Map<Integer, List<Integer>> perChild = new HashMap<>();
            for (int i = 0; i < servers; i++) {
                if (failing.contains(rss.get(i).id())) {
                    perChild.computeIfAbsent(i / PER_PROCESS, k -> new ArrayList<>()).add(i);
                }
            }
            for (var e : perChild.entrySet()) {
                PrintStream cin = new PrintStream(children.get(e.getKey()).getOutputStream(), true, StandardCharsets.UTF_8);
                StringBuilder cmd = new StringBuilder("close");
                e.getValue().forEach(i -> cmd.append(' ').append(i));
                cin.println(cmd);
                String reply = lineStartingWith(childOut.get(e.getKey()), "CLOSED");
                tFail = Math.min(tFail, Long.parseLong(reply.split(" ")[1]));
            }
            sleepUntil(end);
            long wall = System.nanoTime() - wall0;
            engine.close();

            double window = (wall1 - wall0) / 1e9;
            long checksInWindow = Math.max(1, checks1 - checks0);
            out.printf("steady window %.1f s: %.0f checks/s (expected %.0f), process CPU %.1f %% of one core, check event-loop threads %.1f %% "
                            + "(user %.1f %%), %.1f us CPU per check on the loops%n",
                    window, checksInWindow / window, servers / (timing.interval().toNanos() / 1e9),
                    100.0 * (cpu1 - cpu0) / (wall1 - wall0), 100.0 * (loopCpu1 - loopCpu0) / (wall1 - wall0),
                    100.0 * (loopUser1 - loopUser0) / (wall1 - wall0), (loopCpu1 - loopCpu0) / 1e3 / checksInWindow);
            out.printf("server (listener) processes used %.1f %% of one core%n", 100.0 * (serversCpu1 - serversCpu0) / (wall1 - wall0));
            out.printf("check event-loop threads waited for a CPU (runnable, not running) %.1f %% of the window (Linux schedstat)%n",
                    100.0 * (runQueue1 - runQueue0) / (wall1 - wall0));
            out.printf("probe latency in the steady window p50 %d us, p99 %d us (all run: p99 %d us); failures by reason %s%n",
                    steadyLatency.percentileMicros(0.5), steadyLatency.percentileMicros(0.99),
                    engine.counters().latency().percentileMicros(0.99), engine.counters().failuresByReason());
            LatencyHistogram detection = new LatencyHistogram();
            long worst = 0;
            for (long at : downAt.values()) {
                detection.recordNanos(at - tFail);
                worst = Math.max(worst, at - tFail);
            }
            long bound = timing.detectionBound().toMillis();
            out.printf("detection of %d failed servers: %d detected, p50 %d ms, p99 %d ms, max %d ms; bound interval*fall+timeout = %d ms (+10 ms target: %s); "
                            + "false downs %d; sink updates %d%n",
                    fail, downAt.size(), detection.percentileMicros(0.5) / 1000, detection.percentileMicros(0.99) / 1000, worst / 1_000_000,
                    bound, worst / 1_000_000 <= bound + 10 && downAt.size() == fail ? "met" : "MISSED", falseDowns.get(), sinkUpdates.get());
            out.printf("total wall %.1f s; load average at the end %s (on %d cores)%n", wall / 1e9, loadAverage(),
                    Runtime.getRuntime().availableProcessors());
        } finally {
            for (Process p : children) {
                p.destroyForcibly();
            }
        }
    }

    /** The next line of a server process's output with the prefix (its logging may share stdout). */
    private static String lineStartingWith(BufferedReader r, String prefix) throws java.io.IOException {
        String line;
        while ((line = r.readLine()) != null) {
            if (line.startsWith(prefix)) {
                return line;
            }
        }
        return null;
    }

    /** utime + stime of the processes from /proc (clock ticks assumed 100/s, as on Linux x86-64). */
    private static long processCpuNanos(List<Process> processes) {
        long total = 0;
        for (Process p : processes) {
            try {
                String stat = java.nio.file.Files.readString(Path.of("/proc", Long.toString(p.pid()), "stat"));
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                total += (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10_000_000L;
            } catch (java.io.IOException | RuntimeException e) {
                // gone: count nothing
            }
        }
        return total;
    }

    private static String loadAverage() {
        try {
            return java.nio.file.Files.readString(Path.of("/proc/loadavg")).strip();
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }

    /** Nanoseconds the check loops spent runnable but waiting for a CPU (second field of schedstat), or 0. */
    private static long checkLoopRunQueueWait() {
        long total = 0;
        try (var tasks = java.nio.file.Files.newDirectoryStream(Path.of("/proc/self/task"))) {
            for (Path t : tasks) {
                try {
                    if (java.nio.file.Files.readString(t.resolve("comm")).startsWith("health-check")) {
                        total += Long.parseLong(java.nio.file.Files.readString(t.resolve("schedstat")).strip().split("\\s+")[1]);
                    }
                } catch (java.io.IOException | RuntimeException e) {
                    // thread gone or no schedstat: skip
                }
            }
        } catch (java.io.IOException e) {
            return 0;
        }
        return total;
    }

    private static long checkLoopUser(ThreadMXBean threads) {
        long total = 0;
        for (long id : threads.getAllThreadIds()) {
            var info = threads.getThreadInfo(id);
            if (info != null && info.getThreadName().startsWith("health-check")) {
                total += Math.max(0, threads.getThreadUserTime(id));
            }
        }
        return total;
    }

    private static long checkLoopCpu(ThreadMXBean threads) {
        long total = 0;
        for (long id : threads.getAllThreadIds()) {
            var info = threads.getThreadInfo(id);
            if (info != null && info.getThreadName().startsWith("health-check")) {
                total += Math.max(0, threads.getThreadCpuTime(id));
            }
        }
        return total;
    }

    private static void sleepUntil(long deadline) throws InterruptedException {
        long left;
        while ((left = deadline - System.nanoTime()) > 0) {
            Thread.sleep(Math.max(1, left / 1_000_000));
        }
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> o = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("expected --option value, got " + args[i]);
            }
            o.put(args[i].substring(2), args[i + 1]);
        }
        return o;
    }

    /** Child mode: listeners for servers start..start+count-1; on "close i j k" closes those and prints "CLOSED nanoTime". */
    private static void serve(int start, int count) throws Exception {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        Map<Integer, Channel> listeners = new HashMap<>();
        ServerBootstrap b = new ServerBootstrap().group(group).channel(EpollServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 128)
                .childHandler(new ChannelInboundHandlerAdapter() {
                    @Override
                    public void channelActive(ChannelHandlerContext ctx) {
                        ctx.close();
                    }

                    @Override
                    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                        ctx.close();
                    }

                    @Override
                    public boolean isSharable() {
                        return true;
                    }
                });
        for (int i = start; i < start + count; i++) {
            InetSocketAddress a = addressOf(i);
            listeners.put(i, b.bind(new InetSocketAddress(InetAddress.getByName(a.getHostString()), a.getPort())).sync().channel());
        }
        System.out.println("READY " + count);
        System.out.flush();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            if (line.startsWith("close")) {
                long t = System.nanoTime();
                String[] parts = line.split(" ");
                for (int k = 1; k < parts.length; k++) {
                    Channel c = listeners.remove(Integer.parseInt(parts[k]));
                    if (c != null) {
                        c.close().sync();
                    }
                }
                System.out.println("CLOSED " + t);
                System.out.flush();
            }
        }
        group.shutdownGracefully();
    }
}
