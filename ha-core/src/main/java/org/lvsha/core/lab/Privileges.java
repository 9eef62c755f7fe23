package org.lvsha.core.lab;

import java.util.Optional;

/**
 * Whether this process may build a namespace lab (root, iproute2, working {@code ip netns}).
 * Tests that need it skip themselves with the reason given here; CI runs as root, so they run there.
 */
public final class Privileges {
    private static volatile Optional<String> cached;

    private Privileges() {
    }

    /** Empty when namespaces can be created, otherwise why not. */
    public static Optional<String> netnsUnavailableReason() {
        Optional<String> c = cached;
        if (c == null) {
            c = probe();
            cached = c;
        }
        return c;
    }

    public static boolean netnsAvailable() {
        return netnsUnavailableReason().isEmpty();
    }

    private static Optional<String> probe() {
        if (!"root".equals(System.getProperty("user.name"))) {
            return Optional.of("needs root to create network namespaces (running as " + System.getProperty("user.name") + ")");
        }
        Shell.Result ip = Shell.tryRun("ip", "-V");
        if (!ip.ok()) {
            return Optional.of("iproute2 'ip' not found: run scripts/setup");
        }
        String probe = "lvprobe" + ProcessHandle.current().pid();
        Shell.Result add = Shell.tryRun("ip", "netns", "add", probe);
        Shell.tryRun("ip", "netns", "del", probe);
        if (!add.ok()) {
            return Optional.of("'ip netns add' failed: " + add.stderr().strip());
        }
        return Optional.empty();
    }
}
