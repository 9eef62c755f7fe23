package org.lvsha.dist.lab;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Finds and stops a lab's processes by the {@code -Dlvsha.lab=PREFIX} marker on their command
 * line (see {@link LvshaJvm}), so a recorded PID that the kernel has since reused for something
 * else is never killed.
 */
public final class LabProcesses {
    private LabProcesses() {
    }

    /** The process's command line with arguments joined by spaces, if it still exists. */
    public static Optional<String> commandLine(long pid) {
        try {
            byte[] raw = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline"));
            for (int i = 0; i < raw.length; i++) {
                if (raw[i] == 0) {
                    raw[i] = ' ';
                }
            }
            return raw.length == 0 ? Optional.empty() : Optional.of(new String(raw, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Whether {@code pid} is alive and belongs to the lab {@code prefix}. */
    public static boolean isLabProcess(long pid, String prefix) {
        return commandLine(pid).map(c -> (c + " ").contains(LvshaJvm.labMarker(prefix))).orElse(false);
    }

    /** Every live process carrying the lab's marker (what {@code pgrep -f} on the marker would list). */
    public static List<Long> find(String prefix) {
        List<Long> found = new ArrayList<>();
        try (var dirs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path d : dirs) {
                long pid = Long.parseLong(d.getFileName().toString());
                if (pid != ProcessHandle.current().pid() && isLabProcess(pid, prefix)) {
                    found.add(pid);
                }
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot list /proc", e);
        }
        return found;
    }

    /**
     * Kills (SIGKILL) the given PIDs that still belong to the lab and waits, bounded, until none of
     * them does. A killed process whose parent has not reaped it yet is a zombie with an empty
     * command line: it no longer counts, which is also how {@code pgrep -f} sees it.
     */
    public static void kill(List<Long> pids, String prefix) {
        List<Long> victims = new ArrayList<>();
        for (long pid : pids) {
            if (isLabProcess(pid, prefix)) {
                ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
                victims.add(pid);
            }
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (victims.stream().anyMatch(pid -> isLabProcess(pid, prefix)) && System.nanoTime() < deadline) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
