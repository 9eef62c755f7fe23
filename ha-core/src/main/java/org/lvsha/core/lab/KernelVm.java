package org.lvsha.core.lab;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Runs a script in a QEMU guest booted from Debian's kernel with IPVS ({@code shared/tools/kernel-vm}),
 * for the interop suites: this host's kernel has no {@code ip_vs}.
 *
 * <p>The guest sees the host root read-only (writes go to guest RAM) but has its own {@code /tmp}:
 * scripts, jars and result files must live elsewhere, typically under the module's {@code target/},
 * which is shared read-write as {@code /share}.
 */
public final class KernelVm {
    private final Path tool;

    private KernelVm(Path tool) {
        this.tool = tool;
    }

    /** The tool, or empty with {@link #unavailableReason()} saying why. */
    public static Optional<KernelVm> find() {
        return locate().map(KernelVm::new);
    }

    public static Optional<String> unavailableReason() {
        if (locate().isEmpty()) {
            return Optional.of("kernel-vm not found (set LVSHA_KERNEL_VM or keep shared/ beside the checkout)");
        }
        if (!"root".equals(System.getProperty("user.name"))) {
            return Optional.of("kernel-vm needs root");
        }
        if (!Files.isRegularFile(Path.of("/var/cache/kernel-vm/vmlinux"))
                && System.getenv("KERNEL_VM_CACHE") == null) {
            return Optional.of("kernel-vm is not set up: run scripts/setup");
        }
        return Optional.empty();
    }

    private static Optional<Path> locate() {
        String explicit = System.getProperty("lvsha.kernelvm", System.getenv("LVSHA_KERNEL_VM"));
        if (explicit != null && Files.isExecutable(Path.of(explicit))) {
            return Optional.of(Path.of(explicit));
        }
        // CI clones the project with shared/ beside it; worktrees may sit deeper, so walk up.
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("shared/tools/kernel-vm");
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    public Path tool() {
        return tool;
    }

    /** Where the guest mounts {@link Guest#share()}, and where guest scripts run. */
    public static final String GUEST_SHARE = "/share";

    /**
     * The test JVM's classpath as a guest sees it. The guest sees the host root at the same paths except
     * {@code /tmp} and {@code /run}, which are its own: a checkout there (a clean clone in a temporary
     * directory) would leave the guest without the project's classes. Entries under those two are copied
     * into {@code share/guest-cp/} and named by their {@code /share} path; every other entry stays as it is.
     */
    public static String guestClasspath(Path share) {
        // Once per share and JVM: guests may start side by side from one share, and a second copy under a
        // running guest would pull its classes away from it.
        return GUEST_CLASSPATHS.computeIfAbsent(share.toAbsolutePath().normalize(), KernelVm::copyClasspath);
    }

    private static final Map<Path, String> GUEST_CLASSPATHS = new ConcurrentHashMap<>();

    private static String copyClasspath(Path share) {
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Path copies = share.resolve("guest-cp");
        deleteTree(copies); // an earlier run's copy
        List<String> entries = new ArrayList<>();
        int n = 0;
        for (String e : cp.split(File.pathSeparator)) {
            if (e.isEmpty()) {
                continue;
            }
            Path p = Path.of(e).toAbsolutePath().normalize();
            if (!p.startsWith("/tmp") && !p.startsWith("/run")) {
                entries.add(p.toString());
                continue;
            }
            if (!Files.exists(p)) {
                continue; // a missing entry is no entry for the JVM either
            }
            String name = (n++) + "-" + p.getFileName();
            copyTree(p, copies.resolve(name));
            entries.add(GUEST_SHARE + "/guest-cp/" + name);
        }
        return String.join(File.pathSeparator, entries);
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> tree = Files.walk(dir)) {
            for (Path f : tree.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(f);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("removing " + dir, e);
        }
    }

    private static void copyTree(Path from, Path to) {
        try {
            if (Files.isRegularFile(from)) {
                Files.createDirectories(to.getParent());
                Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
                return;
            }
            try (Stream<Path> tree = Files.walk(from)) {
                for (Path f : (Iterable<Path>) tree::iterator) {
                    Path target = to.resolve(from.relativize(f).toString());
                    if (Files.isDirectory(f)) {
                        Files.createDirectories(target);
                    } else {
                        Files.copy(f, target, StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("copying classpath entry " + from + " to " + to, e);
        }
    }

    /** Options for one guest run. */
    public record Guest(String name, Path share, String segment, String mac, int memoryMb, int cpus,
                        Duration timeout, Map<String, String> env) {
        public static Guest named(String name, Path share) {
            return new Guest(name, share, null, null, 1024, 1, Duration.ofSeconds(240), Map.of());
        }

        public Guest onSegment(String seg, String macAddress) {
            return new Guest(name, share, seg, macAddress, memoryMb, cpus, timeout, env);
        }

        public Guest withEnv(Map<String, String> e) {
            return new Guest(name, share, segment, mac, memoryMb, cpus, timeout, e);
        }

        public Guest withTimeout(Duration t) {
            return new Guest(name, share, segment, mac, memoryMb, cpus, t, env);
        }
    }

    /** Boots a guest and runs {@code bash script args...} in it; the result is the script's exit and output. */
    public Shell.Result run(Guest g, Path script, String... args) {
        List<String> cmd = new ArrayList<>(List.of(tool.toString(), "run", "--name", g.name(),
                "--share", g.share().toAbsolutePath().toString(),
                "--mem", Integer.toString(g.memoryMb()), "--smp", Integer.toString(g.cpus()),
                "--timeout", Long.toString(g.timeout().toSeconds())));
        if (g.segment() != null) {
            cmd.addAll(List.of("--segment", g.segment()));
        }
        if (g.mac() != null) {
            cmd.addAll(List.of("--mac", g.mac()));
        }
        g.env().forEach((k, v) -> cmd.addAll(List.of("--env", k + "=" + v)));
        cmd.add("--");
        cmd.add(script.toAbsolutePath().toString());
        cmd.addAll(List.of(args));
        // The tool enforces its own timeout; leave it room to report before we give up on it.
        return Shell.exec(g.timeout().plusSeconds(30), cmd);
    }
}
