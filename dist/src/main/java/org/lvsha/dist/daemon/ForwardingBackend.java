package org.lvsha.dist.daemon;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.lvsha.core.dataplane.DataPlane;
import org.lvsha.core.dataplane.UserspaceIpvs;
import org.lvsha.core.ipvs.InMemoryIpvs;
import org.lvsha.core.ipvs.Ipvs;
import org.lvsha.core.ipvs.kernel.KernelIpvs;
import org.lvsha.core.ipvs.kernel.NetlinkGenlTransport;
import org.lvsha.dist.config.IpvsBackend;
import org.lvsha.dist.config.IpvsSettings;

/**
 * The opened {@link Ipvs} adapter and what the daemon needs to know about its health. Opening also cleans what a
 * crashed run may have left: the userspace data plane removes a stale nft drop table itself; a kernel table is
 * reconciled by {@link TableProgrammer#program} (services lvsha does not configure are deleted).
 */
public final class ForwardingBackend implements AutoCloseable {
    private static final Path IP_VS_PROC = Path.of("/proc/net/ip_vs");

    private final IpvsBackend kind;
    private final Ipvs ipvs;
    private final DataPlane plane;
    private final AutoCloseable resource;

    private ForwardingBackend(IpvsBackend kind, Ipvs ipvs, DataPlane plane, AutoCloseable resource) {
        this.kind = kind;
        this.ipvs = ipvs;
        this.plane = plane;
        this.resource = resource;
    }

    /** {@code auto}: the kernel adapter when {@code ip_vs} is loaded, else the userspace data plane. */
    public static IpvsBackend resolve(IpvsBackend configured) {
        if (configured != IpvsBackend.AUTO) {
            return configured;
        }
        return Files.exists(IP_VS_PROC) ? IpvsBackend.KERNEL : IpvsBackend.USERSPACE;
    }

    public static ForwardingBackend open(IpvsSettings settings) {
        IpvsBackend kind = resolve(settings.backend());
        switch (kind) {
            case KERNEL -> {
                NetlinkGenlTransport t = NetlinkGenlTransport.open();
                return new ForwardingBackend(kind, new KernelIpvs(t), null, t);
            }
            case USERSPACE -> {
                DataPlane p = DataPlane.start(DataPlane.Config.of(settings.outsideInterface(), settings.insideInterface())
                        .withWorkers(settings.workers()));
                UserspaceIpvs u = new UserspaceIpvs(p);
                u.setTimeouts(settings.timeouts());
                return new ForwardingBackend(kind, u, p, p);
            }
            default -> {
                return new ForwardingBackend(IpvsBackend.MEMORY, new InMemoryIpvs(), null, null);
            }
        }
    }

    public IpvsBackend kind() {
        return kind;
    }

    public Ipvs ipvs() {
        return ipvs;
    }

    /** The userspace data plane, when that is the backend. */
    public Optional<DataPlane> dataPlane() {
        return Optional.ofNullable(plane);
    }

    /**
     * Why forwarding cannot work any more, or empty while it can. The userspace data plane is dead when any of its
     * packet workers has ended (a thread that died on an error, or a plane closed under us).
     */
    public Optional<String> failure() {
        if (plane == null) {
            return Optional.empty();
        }
        if (closedPlane) {
            return Optional.of("userspace data plane stopped");
        }
        int alive = 0;
        // The packet workers are named lvsha-dataplane-N (DataPlane exposes no liveness of its own yet).
        ThreadGroup root = Thread.currentThread().getThreadGroup();
        while (root.getParent() != null) {
            root = root.getParent();
        }
        Thread[] threads = new Thread[root.activeCount() + 16];
        int n = root.enumerate(threads, true);
        for (int i = 0; i < n; i++) {
            String name = threads[i].getName();
            if (name.startsWith("lvsha-dataplane-") && !name.endsWith("housekeeping") && threads[i].isAlive()) {
                alive++;
            }
        }
        return alive < plane.workerCount()
                ? Optional.of("userspace data plane: " + (plane.workerCount() - alive) + " of " + plane.workerCount() + " packet workers died")
                : Optional.empty();
    }

    private volatile boolean closedPlane;

    /**
     * Stops the userspace data plane's packet workers while the daemon runs: how a test (and a drill) simulates its
     * death. Only offered when the JVM runs with {@code -Dlvsha.testHooks=true}.
     */
    public void stopDataPlaneForTest() {
        if (plane != null) {
            closedPlane = true;
            plane.close();
        }
    }

    /** Data-plane counters (packets, drops by reason), empty for the kernel and memory backends. */
    public Map<String, Long> counters() {
        return plane == null ? Map.of() : plane.counters();
    }

    @Override
    public void close() {
        if (resource != null) {
            try {
                resource.close();
            } catch (Exception e) {
                org.slf4j.LoggerFactory.getLogger(ForwardingBackend.class).warn("closing the {} backend: {}", kind, e.toString());
            }
        }
    }
}
