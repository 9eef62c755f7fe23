package org.lvsha.dist.drill;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.lvsha.core.lab.NetnsLab;
import org.lvsha.core.lab.Shell;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.lvsha.dist.lab.AddressPlan;
import org.lvsha.dist.lab.LabTopology;

/**
 * Where the VIP really is, from the kernel: follows {@code ip -o monitor address} in each
 * director's namespace and records a {@link TimelineEvent.VipAddress} whenever the VIP is added to
 * or deleted from one of them, plus the state found at {@link #start}. Needs nothing from the
 * director daemon. Events are stamped when this JVM reads the monitor's line, a few milliseconds
 * after the kernel's change at most on a quiet machine (more on a loaded one): good for the VIP
 * bands of the plot, not for sub-millisecond comparisons.
 */
public final class AddressMonitorObserver implements DirectorObserver {
    private static final Logger LOG = LoggerFactory.getLogger(AddressMonitorObserver.class);
    private static final Duration STOP_WAIT = Duration.ofSeconds(2);
    /** How long {@link #start} waits for each monitor to subscribe (a process start; slow on a loaded machine). */
    private static final Duration SUBSCRIBE_WAIT = Duration.ofSeconds(10);

    private final Map<String, String> namespaces;
    private final String address;
    private final List<Process> monitors = new ArrayList<>();
    private final List<Thread> readers = new ArrayList<>();

    /** {@code namespaces}: director name (as the report shows it) to its network namespace. */
    public AddressMonitorObserver(Map<String, String> namespaces, String address) {
        this.namespaces = new LinkedHashMap<>(namespaces);
        this.address = address;
    }

    /** Watches the lab's IPv4 VIP on dir1 and dir2. */
    public static AddressMonitorObserver forLab(LabTopology topology) {
        Map<String, String> ns = new LinkedHashMap<>();
        ns.put("dir1", topology.director(1));
        ns.put("dir2", topology.director(2));
        return new AddressMonitorObserver(ns, AddressPlan.VIP4);
    }

    @Override
    public void start(Timeline timeline) {
        // Monitors first, subscribed, then the initial state: a change in between is seen twice, never
        // missed (recording the same state again changes nothing in the measurements).
        namespaces.forEach((node, ns) -> {
            try {
                Process p = new ProcessBuilder(NetnsLab.nsCommand(ns, "ip", "-o", "monitor", "address"))
                        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
                monitors.add(p);
                Thread t = new Thread(() -> follow(p, node, timeline), "vip-monitor-" + node);
                t.setDaemon(true);
                t.start();
                readers.add(t);
            } catch (IOException e) {
                throw new IllegalStateException("cannot follow address changes in " + ns + ": " + e.getMessage(), e);
            }
        });
        for (Process p : monitors) {
            awaitSubscribed(p);
        }
        namespaces.forEach((node, ns) -> {
            Shell.Result r = Shell.exec(Duration.ofSeconds(5), NetnsLab.nsCommand(ns, "ip", "-o", "addr", "show"));
            if (!r.ok()) {
                throw new IllegalStateException("cannot list addresses in " + ns + ": " + r.stderr().strip());
            }
            boolean present = r.stdout().lines().anyMatch(this::mentionsVip);
            timeline.record(new TimelineEvent.VipAddress(System.nanoTime(), node, address, present));
        });
    }

    /**
     * Waits until the monitor's rtnetlink socket has joined its multicast groups: a started process has not
     * necessarily subscribed yet, and a change before that would be missed. {@code ip netns exec} execs the
     * command in place, so the monitor keeps the process id, which is also its socket's port id.
     */
    private static void awaitSubscribed(Process p) {
        Path table = Path.of("/proc", Long.toString(p.pid()), "net", "netlink");
        long deadline = System.nanoTime() + SUBSCRIBE_WAIT.toNanos();
        while (p.isAlive() && System.nanoTime() - deadline < 0) {
            try {
                if (subscribed(Files.readString(table), p.pid())) {
                    return;
                }
                Thread.sleep(5);
            } catch (IOException e) {
                break; // the process is gone
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        LOG.warn("ip monitor (pid {}) not seen subscribed within {} s{}: a VIP change just after the start may be "
                + "missing from the timeline", p.pid(), SUBSCRIBE_WAIT.toSeconds(), p.isAlive() ? "" : " (it exited)");
    }

    /**
     * Whether a {@code /proc/PID/net/netlink} table lists a NETLINK_ROUTE socket (protocol 0) with port id
     * {@code portId} joined to at least one multicast group (the Groups column, a hex bitmap of groups 1-32).
     */
    static boolean subscribed(String procNetNetlink, long portId) {
        for (String line : procNetNetlink.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length >= 4 && f[1].equals("0") && f[2].equals(Long.toString(portId))
                    && f[3].matches("[0-9a-fA-F]{8}") && !f[3].equals("00000000")) {
                return true;
            }
        }
        return false;
    }

    private void follow(Process p, String node, Timeline timeline) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                long now = System.nanoTime();
                if (mentionsVip(line)) {
                    timeline.record(new TimelineEvent.VipAddress(now, node, address, !line.startsWith("Deleted")));
                }
            }
        } catch (IOException e) {
            // The monitor was stopped: nothing more to follow.
        }
    }

    /** {@code ... inet 203.0.113.100/24 ...} or {@code inet6 2001:db8:0:1::100/64}. */
    boolean mentionsVip(String line) {
        return line.contains(" inet " + address + "/") || line.contains(" inet6 " + address + "/");
    }

    @Override
    public void close() {
        for (Process p : monitors) {
            p.destroyForcibly();
        }
        for (Process p : monitors) {
            try {
                p.waitFor(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (Thread t : readers) {
            try {
                t.join(STOP_WAIT.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
