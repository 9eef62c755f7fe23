package org.lvsha.dist.lab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.lvsha.core.lab.NetnsLab;

/**
 * A built lab with its real servers running and answering: what a test or {@code lab up} gets.
 *
 * <pre>{@code
 * try (RunningLab lab = RunningLab.start(Lab.dr(2))) {
 *     String dir1 = lab.topology().director(1);
 *     Process daemon = lab.spawn("dir1", List.of("run", "--config", cfg), List.of());
 *     ...
 * } // kills every lab process, deletes every namespace and link
 * }</pre>
 */
public final class RunningLab implements AutoCloseable {
    /** JVM start on a busy shared machine is the slow part; this bounds it. */
    public static final Duration DEFAULT_READY_TIMEOUT = Duration.ofSeconds(60);

    /**
     * Real servers log only warnings (their output is a file nobody reads unless something broke)
     * and allocate unpooled buffers: a lab server moves little data, and Netty's pooled arenas
     * would add some 20 MB of resident memory to every one of them.
     */
    private static final List<String> REAL_SERVER_JVM = Stream.concat(LvshaJvm.SMALL_JVM.stream(),
            Stream.of("-DLVSHA_LOG_LEVEL=WARN", "-Dio.netty.allocator.type=unpooled")).toList();

    private final NetnsLab netns;
    private final LabTopology topology;
    private final Path logDir;
    private final boolean ownsLogDir;
    private final LvshaJvm jvm;
    private final Map<String, LabProcess> processes = new LinkedHashMap<>();
    private final Map<String, Process> children = new LinkedHashMap<>();
    private final String createdAt = Instant.now().toString();

    private RunningLab(NetnsLab netns, LabTopology topology, Path logDir, boolean ownsLogDir, LvshaJvm jvm) {
        this.netns = netns;
        this.topology = topology;
        this.logDir = logDir;
        this.ownsLogDir = ownsLogDir;
        this.jvm = jvm;
    }

    /** A lab under a fresh prefix, logs in a temporary directory deleted by {@link #close()}. */
    public static RunningLab start(Lab lab) {
        try {
            return start(lab, NetnsLab.uniquePrefix("lv"), Files.createTempDirectory("lvsha-lab-"), true,
                    LvshaJvm.current(), DEFAULT_READY_TIMEOUT);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a log directory for the lab", e);
        }
    }

    /**
     * Builds the topology, starts one real server per real-server namespace and waits until each
     * answers HTTP from dir1. On any failure everything made so far is torn down before the
     * exception propagates.
     */
    public static RunningLab start(Lab lab, String prefix, Path logDir, boolean ownsLogDir, LvshaJvm jvm,
                                   Duration readyTimeout) {
        NetnsLab netns = NetnsLab.create(prefix);
        RunningLab running = null;
        try {
            Files.createDirectories(logDir);
            LabTopology topology = TopologyBuilder.build(netns, lab);
            running = new RunningLab(netns, topology, logDir, ownsLogDir, jvm);
            for (int i = 1; i <= lab.realServers(); i++) {
                running.startRealServer(i);
            }
            running.awaitRealServers(lab.realServerNames(), readyTimeout);
            return running;
        } catch (IOException e) {
            close(running, netns);
            throw new UncheckedIOException("cannot create " + logDir, e);
        } catch (RuntimeException | Error e) {
            close(running, netns);
            throw e;
        }
    }

    private static void close(RunningLab running, NetnsLab netns) {
        if (running != null) {
            running.close();
        } else {
            netns.close();
        }
    }

    /**
     * Starts {@code lvsha ARGS...} in the namespace of lab host {@code host} (a {@link LvshaJvm}
     * process, marked with this lab's prefix), logging to {@code LOGDIR/HOST[-n].log}. It is killed
     * by {@link #close()}.
     */
    public Process spawn(String host, List<String> jvmOptions, List<String> lvshaArgs) {
        String name = host;
        for (int n = 2; processes.containsKey(name); n++) {
            name = host + "-" + n;
        }
        return launch(name, topology.ns(host), jvmOptions, lvshaArgs);
    }

    /**
     * Starts real server {@code rsINDEX} in its namespace without waiting for it (see
     * {@link #awaitRealServers}); also restarts one that was killed, e.g. by a drill.
     */
    public Process startRealServer(int index) {
        String name = "rs" + index;
        Process running = children.get(name);
        if (running != null && running.isAlive()) {
            throw new IllegalStateException(name + " of lab " + prefix() + " is already running (pid " + running.pid() + ")");
        }
        return launch(name, topology.realServer(index), REAL_SERVER_JVM, List.of("realserver", "--name", name));
    }

    /** Kills real server {@code rsINDEX} (SIGKILL, as a crash) and waits, bounded, until it is gone. */
    public void killRealServer(int index) {
        Process p = children.get("rs" + index);
        if (p == null) {
            throw new IllegalArgumentException("no real server rs" + index + " in lab " + prefix());
        }
        p.destroyForcibly();
        try {
            p.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Process launch(String name, String ns, List<String> jvmOptions, List<String> lvshaArgs) {
        Path log = logDir.resolve(name + ".log");
        try {
            // A restarted process's log starts afresh, so readiness is judged on the new run only.
            Files.deleteIfExists(log);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot reset " + log, e);
        }
        Process p = netns.spawn(ns, jvm.command(topology.prefix(), jvmOptions, lvshaArgs), log.toFile());
        processes.put(name, new LabProcess(name, ns, p.pid(), log.toString()));
        children.put(name, p);
        return p;
    }

    /** Waits until each named real server (rs1...) answers {@code GET /health} from dir1; fails early if one exits. */
    public void awaitRealServers(List<String> names, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<String> waiting = new ArrayList<>(names);
        String dir1 = topology.director(1);
        while (!waiting.isEmpty()) {
            for (var it = waiting.iterator(); it.hasNext(); ) {
                String rs = it.next();
                LabProcess p = processes.get(rs);
                if (!children.get(rs).isAlive()) {
                    throw new IllegalStateException("real server " + rs + " exited during start; its log "
                            + p.log() + " ends with:\n" + tail(Path.of(p.log())));
                }
                // Reading its log is cheap; only once it says it listens is an HTTP probe worth a curl.
                if (tail(Path.of(p.log())).contains("ready on")) {
                    int index = Integer.parseInt(rs.substring(2));
                    var r = NamespaceHttp.get(dir1, AddressPlan.rip4(index), AddressPlan.HTTP_PORT, "/health",
                            Duration.ofSeconds(2));
                    if (r.ok()) {
                        it.remove();
                    }
                }
            }
            if (waiting.isEmpty()) {
                break;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("real servers " + waiting + " did not answer within " + timeout
                        + " (logs in " + logDir + ")");
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for real servers", e);
            }
        }
    }

    private static String tail(Path log) {
        try {
            String s = Files.readString(log, StandardCharsets.UTF_8);
            return s.length() > 2000 ? s.substring(s.length() - 2000) : s;
        } catch (IOException e) {
            return "";
        }
    }

    public LabTopology topology() {
        return topology;
    }

    public String prefix() {
        return topology.prefix();
    }

    public NetnsLab netns() {
        return netns;
    }

    public Path logDir() {
        return logDir;
    }

    /** The last {@code lines} lines of every process's log, each headed by its name: for a failure message. */
    public String logTails(int lines) {
        StringBuilder b = new StringBuilder();
        for (LabProcess p : processes()) {
            try {
                List<String> all = Files.readAllLines(Path.of(p.log()));
                b.append("== ").append(p.name()).append('\n')
                        .append(String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()))).append('\n');
            } catch (IOException e) {
                b.append("== ").append(p.name()).append(": ").append(e).append('\n');
            }
        }
        return b.toString();
    }

    public List<LabProcess> processes() {
        return List.copyOf(processes.values());
    }

    /** What a later process needs to inspect or tear down this lab. */
    public LabState state() {
        Lab lab = topology.lab();
        return new LabState(prefix(), lab.layout(), lab.realServers(), lab.ipv6(), topology.namespaces(),
                processes(), logDir.toString(), createdAt);
    }

    /** Kills the lab's processes and deletes its namespaces (and with them every link). Never throws. */
    @Override
    public void close() {
        netns.close();
        LabProcesses.kill(LabProcesses.find(prefix()), prefix());
        if (ownsLogDir) {
            deleteTree(logDir);
        }
    }

    static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // Leftover log files are not worth failing a teardown for.
        }
    }
}
