package org.lvsha.dist.vrrp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.lvsha.core.lab.NetnsLab;
import org.lvsha.core.lab.Shell;
import org.lvsha.dist.lab.AddressPlan;
import org.lvsha.dist.lab.AddressPlan.Net;
import org.lvsha.dist.lab.Lab;
import org.lvsha.dist.lab.LabTopology;
import org.lvsha.dist.lab.LvshaJvm;
import org.lvsha.dist.lab.TopologyBuilder;

/**
 * A DR lab network (LAB.md plan, no real-server processes) with {@code lvsha vrrp} nodes started in the
 * directors' namespaces, each with a status file and an events file the caller can read: what the lab
 * tests and {@code lvsha bench vrrp} drive. {@link #close()} kills every node and removes the namespaces.
 *
 * <p>Times: the nodes' transition events carry {@code System.nanoTime()} (CLOCK_MONOTONIC, one clock for
 * every process on the machine), so an event in a node can be compared with {@link System#nanoTime()} here.
 */
public final class VrrpLab implements AutoCloseable {
    /** Small heap, serial collector (see the report in the VRRP README for the measured pauses). */
    public static final List<String> NODE_JVM = List.of("-Xms32m", "-Xmx64m", "-Xss512k", "-XX:+UseSerialGC",
            "-XX:+AlwaysPreTouch", "-XX:TieredStopAtLevel=1", "-XX:CICompilerCount=1", "-Xshare:auto");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final NetnsLab netns;
    private final LabTopology topology;
    private final Path dir;
    private final LvshaJvm jvm = LvshaJvm.current();
    private final Map<String, Node> nodes = new ConcurrentHashMap<>();
    private int started;

    private VrrpLab(NetnsLab netns, LabTopology topology, Path dir) {
        this.netns = netns;
        this.topology = topology;
        this.dir = dir;
    }

    /** Builds {@code lab}'s network under a fresh prefix starting with {@code base}; undone on failure. */
    public static VrrpLab create(String base, Lab lab) {
        NetnsLab n = NetnsLab.create(NetnsLab.uniquePrefix(base));
        try {
            LabTopology t = TopologyBuilder.build(n, lab);
            return new VrrpLab(n, t, Files.createTempDirectory("lvsha-vrrp-" + n.prefix() + "-"));
        } catch (IOException e) {
            n.close();
            throw new UncheckedIOException(e);
        } catch (RuntimeException | Error e) {
            n.close();
            throw e;
        }
    }

    public NetnsLab netns() {
        return netns;
    }

    public LabTopology topology() {
        return topology;
    }

    public Path dir() {
        return dir;
    }

    public String ns(String host) {
        return topology.ns(host);
    }

    /** Runs a command in a lab host's namespace; throws if it fails. */
    public String exec(String host, String... command) {
        return netns.exec(ns(host), command).stdout();
    }

    public Shell.Result tryExec(String host, String... command) {
        return netns.tryExec(ns(host), Duration.ofSeconds(10), command);
    }

    /** Settings for {@link #directorConfig}. */
    public record Settings(int advertMillis, boolean preempt, Duration preemptDelay, int version, String password,
                           boolean unicast, boolean ipv6, String extraInstances) {
        public static Settings v3(int advertMillis) {
            return new Settings(advertMillis, true, Duration.ZERO, 3, null, false, false, "");
        }

        public Settings withPreempt(boolean on, Duration delay) {
            return new Settings(advertMillis, on, delay, version, password, unicast, ipv6, extraInstances);
        }

        public Settings withExtra(String yaml) {
            return new Settings(advertMillis, preempt, preemptDelay, version, password, unicast, ipv6, yaml);
        }
    }

    /**
     * The YAML of director {@code index} (1 or 2): instance {@code vip} (VRID 51, VIP on eth0 label eth0:0)
     * and {@code dip} (VRID 52, DIP on eth1 label eth1:0) in sync group {@code lb}, each tracking both
     * links (weight 0: a link down is a fault, as keepalived's track_interface).
     */
    public static String directorConfig(int index, int priority, Settings s) {
        int me = AddressPlan.director(index);
        int peer = AddressPlan.director(3 - index);
        StringBuilder b = new StringBuilder("instances:\n");
        b.append(instance("vip", AddressPlan.VRID_VIP, "eth0", Net.OUTSIDE.v4(me), Net.OUTSIDE.v4(peer),
                AddressPlan.VIP4 + "/24 label " + AddressPlan.VIP_LABEL, priority, s));
        b.append(instance("dip", AddressPlan.VRID_DIP, "eth1", Net.INSIDE.v4(me), Net.INSIDE.v4(peer),
                AddressPlan.DIP4 + "/24 label " + AddressPlan.DIP_LABEL, priority, s));
        b.append(s.extraInstances());
        b.append("sync-groups:\n  - name: lb\n    instances: [vip, dip]\n");
        return b.toString();
    }

    static String instance(String name, int vrid, String ifname, String primary, String peer, String address, int priority,
                           Settings s) {
        StringBuilder b = new StringBuilder();
        b.append("  - name: ").append(name).append('\n')
                .append("    vrid: ").append(vrid).append('\n')
                .append("    version: ").append(s.version()).append('\n')
                .append("    interface: ").append(ifname).append('\n')
                .append("    primary: ").append(primary).append('\n')
                .append("    priority: ").append(priority).append('\n')
                .append("    advert-interval: ").append(s.advertMillis()).append("ms\n")
                .append("    preempt: ").append(s.preempt()).append('\n')
                .append("    preempt-delay: ").append(s.preemptDelay().toMillis()).append("ms\n")
                .append("    addresses: [\"").append(address).append("\"]\n")
                .append("    track-interfaces: [{interface: eth0, weight: 0}, {interface: eth1, weight: 0}]\n");
        if (s.password() != null) {
            b.append("    auth-password: ").append(s.password()).append('\n');
        }
        if (s.unicast()) {
            b.append("    unicast-peers: [").append(peer).append("]\n");
        }
        return b.toString();
    }

    /** A running {@code lvsha vrrp} process. */
    public final class Node {
        public final String host;
        public final Process process;
        public final Path status;
        public final Path events;
        public final Path log;
        public final long startedNanos;

        Node(String host, Process process, Path status, Path events, Path log, long startedNanos) {
            this.host = host;
            this.process = process;
            this.status = status;
            this.events = events;
            this.log = log;
            this.startedNanos = startedNanos;
        }

        /** The status file as JSON, or null before the node wrote it. */
        public JsonNode status() {
            try {
                return Files.exists(status) ? JSON.readTree(status.toFile()) : null;
            } catch (IOException e) {
                return null; // between write and rename: read again
            }
        }

        public String state(String instance) {
            JsonNode s = status();
            return s == null ? "NONE" : s.path("instances").path(instance).path("state").asText("NONE");
        }

        public long rejected(String reason) {
            JsonNode s = status();
            return s == null ? 0 : s.path("counters").path("rejected").path(reason).asLong();
        }

        public long transitions() {
            JsonNode s = status();
            if (s == null) {
                return 0;
            }
            long n = 0;
            for (JsonNode v : s.path("counters").path("transitions")) {
                n += v.asLong();
            }
            return n;
        }

        /** Transition events so far, in order. */
        public List<JsonNode> events() {
            List<JsonNode> out = new ArrayList<>();
            try {
                if (Files.exists(events)) {
                    for (String line : Files.readAllLines(events)) {
                        if (line.endsWith("}")) {
                            out.add(JSON.readTree(line));
                        }
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return out;
        }

        /** The monotonic time of the first event where {@code name} went {@code to} at or after {@code since}; -1 if none. */
        public long eventTime(String name, String to, long since) {
            for (JsonNode e : events()) {
                if (e.path("name").asText().equals(name) && e.path("to").asText().equals(to)
                        && e.path("monotonic_ns").asLong() >= since) {
                    return e.path("monotonic_ns").asLong();
                }
            }
            return -1;
        }

        public void awaitState(String instance, String state, Duration timeout) {
            await(timeout, () -> state.equals(state(instance)),
                    () -> host + " instance " + instance + " to be " + state + " (is " + state(instance) + ")");
        }

        /** SIGKILL, as a crash; waits until the process is gone. */
        public void kill() {
            process.destroyForcibly();
            waitExit();
        }

        /** SIGTERM: graceful stop. */
        public void terminate() {
            process.destroy();
            waitExit();
        }

        private void waitExit() {
            try {
                if (!process.waitFor(15, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    throw new IllegalStateException(host + " did not exit within 15 s");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            nodes.remove(host, this);
        }

        public String logTail() {
            try {
                String s = Files.readString(log);
                return s.length() > 3000 ? s.substring(s.length() - 3000) : s;
            } catch (IOException e) {
                return "";
            }
        }
    }

    /** Starts {@code lvsha vrrp} in {@code host}'s namespace with the given YAML. */
    public Node start(String host, String yaml, List<String> jvmOptions) {
        return start(host, yaml, jvmOptions, List.of());
    }

    /** As {@link #start(String, String)} with JVM options and extra {@code lvsha vrrp} options. */
    public Node start(String host, String yaml, List<String> jvmOptions, List<String> vrrpOptions) {
        int n = ++started;
        Path config = dir.resolve(host + "-" + n + ".yaml");
        Path status = dir.resolve(host + "-" + n + ".status.json");
        Path events = dir.resolve(host + "-" + n + ".events.jsonl");
        Path log = dir.resolve(host + "-" + n + ".log");
        try {
            Files.writeString(config, yaml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        long t0 = System.nanoTime();
        List<String> args = new ArrayList<>(List.of("vrrp", "--config", config.toString(), "--status-file", status.toString(),
                "--events-file", events.toString(), "--quiet-events"));
        args.addAll(vrrpOptions);
        Process p = netns.spawn(ns(host), jvm.command(netns.prefix(), jvmOptions, args), log.toFile());
        Node node = new Node(host, p, status, events, log, t0);
        nodes.put(host, node);
        return node;
    }

    public Node start(String host, String yaml) {
        return start(host, yaml, NODE_JVM);
    }

    /** {@code ip -o addr show dev IF} in {@code host}: one line per address. */
    public String addresses(String host, String ifname) {
        return exec(host, "ip", "-o", "-4", "addr", "show", "dev", ifname);
    }

    /** Whether {@code host} has {@code address} on {@code ifname} (with {@code label} if not null). */
    public boolean hasAddress(String host, String ifname, String address, String label) {
        for (String line : addresses(host, ifname).split("\n")) {
            if (line.contains(" " + address + "/") && (label == null || line.trim().endsWith(label)
                    || line.contains(" " + label + "\\") || line.contains(" " + label + " "))) {
                return true;
            }
        }
        return false;
    }

    /** Waits for {@code condition}, polling every 5 ms, at most {@code timeout}. */
    public static void await(Duration timeout, BooleanSupplier condition, java.util.function.Supplier<String> what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("timed out after " + timeout + " waiting for " + what.get());
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted waiting for " + what.get(), e);
            }
        }
    }

    /** RFC 5798 §6.1: Master_Down_Interval = 3 × Master_Adver_Interval + Skew_Time, Skew = (256 − Priority) × interval / 256. */
    public static double masterDownMillis(int advertMillis, int backupPriority) {
        return 3.0 * advertMillis + skewMillis(advertMillis, backupPriority);
    }

    public static double skewMillis(int advertMillis, int priority) {
        return (256 - priority) * advertMillis / 256.0;
    }

    /** Kills every node still running (SIGKILL) and removes the VIP and DIP from both directors: a clean slate. */
    public void reset() {
        for (Node n : List.copyOf(nodes.values())) {
            n.kill();
        }
        for (String d : List.of("dir1", "dir2")) {
            tryExec(d, "ip", "addr", "del", AddressPlan.VIP4 + "/24", "dev", "eth0");
            tryExec(d, "ip", "addr", "del", AddressPlan.DIP4 + "/24", "dev", "eth1");
            tryExec(d, "ip", "link", "set", "eth0", "up");
            tryExec(d, "ip", "link", "set", "eth1", "up");
        }
    }

    /** Kills every node still running, removes the namespaces and the temporary directory. Never throws. */
    @Override
    public void close() {
        for (Node n : List.copyOf(nodes.values())) {
            n.process.destroyForcibly();
        }
        netns.close();
        try (var walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | RuntimeException e) {
            // best effort
        }
    }
}
