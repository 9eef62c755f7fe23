package org.lvsha.core.lab;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A set of network namespaces, bridges and veth links created under one unique prefix, and
 * everything torn down again by {@link #close()} (also on failure) or by {@link #sweep(String)}
 * after a crash.
 *
 * <p>Nothing is created in the caller's namespace: each bridge lives in a namespace of its own
 * ({@code PREFIX-br-NAME}), so deleting the lab's namespaces deletes every link with them.
 * Interface names are limited to 15 characters by the kernel, which is why prefixes are short.
 */
public final class NetnsLab implements AutoCloseable {
    private final String prefix;
    private final Set<String> namespaces = new LinkedHashSet<>();
    private final List<Process> processes = new ArrayList<>();
    private int linkCounter;

    private NetnsLab(String prefix) {
        this.prefix = prefix;
    }

    /** A lab with a fresh random prefix such as {@code lv3f9a}. */
    public static NetnsLab create() {
        return create(uniquePrefix("lv"));
    }

    /** A lab under the given prefix (2–8 characters of [a-z0-9]); removes leftovers of an earlier run first. */
    public static NetnsLab create(String prefix) {
        if (!prefix.matches("[a-z][a-z0-9]{1,7}")) {
            throw new IllegalArgumentException("lab prefix must be 2-8 characters [a-z0-9] starting with a letter: " + prefix);
        }
        sweep(prefix);
        return new NetnsLab(prefix);
    }

    public static String uniquePrefix(String base) {
        return base + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x1000, 0x10000));
    }

    public String prefix() {
        return prefix;
    }

    /** The full namespace name for a short host name. */
    public String ns(String host) {
        return prefix + "-" + host;
    }

    /** Creates a namespace with loopback up and returns its full name. */
    public String addHost(String host) {
        String ns = ns(host);
        Shell.run("ip", "netns", "add", ns);
        namespaces.add(ns);
        exec(ns, "ip", "link", "set", "lo", "up");
        return ns;
    }

    /** Creates a bridge (in its own namespace) and returns the bridge's namespace name. */
    public String addBridge(String name) {
        String ns = addHost("br-" + name);
        exec(ns, "ip", "link", "add", "br0", "type", "bridge");
        // Forward immediately: no STP listening delay in a lab.
        exec(ns, "ip", "link", "set", "br0", "type", "bridge", "forward_delay", "0", "stp_state", "0");
        exec(ns, "ip", "link", "set", "br0", "up");
        return ns;
    }

    /**
     * Connects {@code hostNs} to the bridge {@code bridge} (as made by {@link #addBridge}) with a veth
     * pair whose host end is called {@code ifName}; brings both ends up.
     */
    public void connect(String hostNs, String ifName, String bridge, String mac) {
        String bridgeNs = ns("br-" + bridge);
        String tmpA = prefix + "a" + linkCounter;
        String tmpB = prefix + "b" + linkCounter;
        linkCounter++;
        exec(hostNs, "ip", "link", "add", tmpA, "type", "veth", "peer", "name", tmpB, "netns", bridgeNs);
        exec(hostNs, "ip", "link", "set", tmpA, "name", ifName);
        if (mac != null) {
            exec(hostNs, "ip", "link", "set", ifName, "address", mac);
        }
        exec(hostNs, "ip", "link", "set", ifName, "up");
        // Name the bridge port after what it connects (rs1.eth0), so 'ip link' in the bridge's
        // namespace reads as a patch panel; keep the temporary name if that does not fit IFNAMSIZ.
        String port = tmpB;
        String wanted = (hostNs.startsWith(prefix + "-") ? hostNs.substring(prefix.length() + 1) : hostNs) + "." + ifName;
        if (wanted.length() <= 15 && tryExec(bridgeNs, Duration.ofSeconds(10), "ip", "link", "set", tmpB, "name", wanted).ok()) {
            port = wanted;
        }
        exec(bridgeNs, "ip", "link", "set", port, "master", "br0");
        exec(bridgeNs, "ip", "link", "set", port, "up");
    }

    /** Connects two namespaces point-to-point with a veth pair named {@code ifA}/{@code ifB}. */
    public void link(String nsA, String ifA, String nsB, String ifB) {
        String tmp = prefix + "p" + linkCounter++;
        exec(nsA, "ip", "link", "add", ifA, "type", "veth", "peer", "name", tmp, "netns", nsB);
        exec(nsB, "ip", "link", "set", tmp, "name", ifB);
        exec(nsA, "ip", "link", "set", ifA, "up");
        exec(nsB, "ip", "link", "set", ifB, "up");
    }

    /** Runs a command inside a namespace; throws with stderr if it fails. */
    public Shell.Result exec(String ns, String... command) {
        return Shell.exec(Duration.ofSeconds(30), nsCommand(ns, command)).orThrow();
    }

    /** Runs a command inside a namespace and returns whatever happened. */
    public Shell.Result tryExec(String ns, Duration timeout, String... command) {
        return Shell.exec(timeout, nsCommand(ns, command));
    }

    /** Starts a long-running process inside a namespace; it is killed by {@link #close()}. */
    public Process spawn(String ns, List<String> command, java.io.File log) {
        ProcessBuilder pb = new ProcessBuilder(nsCommand(ns, command.toArray(String[]::new)))
                .redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.redirectOutput(log == null ? ProcessBuilder.Redirect.DISCARD : ProcessBuilder.Redirect.appendTo(log));
        try {
            Process p = pb.start();
            synchronized (processes) {
                processes.add(p);
            }
            return p;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot start " + command + " in " + ns, e);
        }
    }

    public static List<String> nsCommand(String ns, String... command) {
        List<String> full = new ArrayList<>(command.length + 4);
        full.add("ip");
        full.add("netns");
        full.add("exec");
        full.add(ns);
        full.addAll(List.of(command));
        return full;
    }

    public Set<String> namespaces() {
        return Set.copyOf(namespaces);
    }

    /** Kills spawned processes, then deletes every namespace (which deletes their links). Never throws. */
    @Override
    public void close() {
        synchronized (processes) {
            for (Process p : processes) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
            }
            for (Process p : processes) {
                try {
                    p.waitFor(5, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            processes.clear();
        }
        sweep(prefix);
        namespaces.clear();
    }

    /**
     * Deletes every namespace named {@code PREFIX-*}, killing processes still inside them first.
     * Safe to call when nothing exists.
     */
    public static void sweep(String prefix) {
        Shell.Result list = Shell.tryRun("ip", "netns", "list");
        if (!list.ok()) {
            return;
        }
        for (String line : list.stdout().split("\n")) {
            String name = line.strip().split("\\s+")[0];
            if (name.startsWith(prefix + "-")) {
                Shell.Result pids = Shell.tryRun("ip", "netns", "pids", name);
                if (pids.ok()) {
                    for (String pid : pids.stdout().split("\\s+")) {
                        if (!pid.isBlank()) {
                            Shell.tryRun("kill", "-9", pid.strip());
                        }
                    }
                }
                Shell.tryRun("ip", "netns", "del", name);
            }
        }
    }
}
