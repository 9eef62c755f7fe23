package org.lvsha.dist.drill;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.lvsha.core.lab.Shell;
import org.lvsha.dist.lab.AddressPlan;
import org.lvsha.dist.lab.LabProcess;
import org.lvsha.dist.lab.RunningLab;

/**
 * The director pair of a lab drill: two {@code lvsha run} daemons (dir1, dir2) on the userspace data plane, each with
 * its {@link PairConfig} file, run directory and VRRP status file under {@code LOGDIR/pair/}. What scenarios need:
 * who is master (from the status files, no process start), kill/restart a director, a planned switchover through
 * {@code lvsha failover}, the sync lag from the admin endpoint, and waits until the pair is whole again. Every wait
 * is bounded by {@link #SETTLE}.
 */
public final class LabDirectorPair implements AutoCloseable {
    /** JVM start, sync state transfer and the first election on a machine shared with other builds. */
    public static final Duration SETTLE = Duration.ofSeconds(120);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> DIRECTOR_JVM = List.of("-Xms32m", "-Xmx160m", "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1", "-Xss512k", "-Dio.netty.allocator.type=unpooled", "-DLVSHA_LOG_LEVEL=INFO");

    private final RunningLab lab;
    private final PairConfig config;
    private final Path dir;
    private final Process[] processes = new Process[3];
    private final DrillContext progress;

    private LabDirectorPair(RunningLab lab, PairConfig config, DrillContext progress) {
        this.lab = lab;
        this.config = config;
        this.dir = lab.logDir().resolve("pair");
        this.progress = progress;
    }

    /** Writes both configurations, starts both daemons and waits until one is master, the other backup, and the VIP answers. */
    public static LabDirectorPair start(RunningLab lab, PairConfig config, DrillContext progress) {
        LabDirectorPair p = new LabDirectorPair(lab, config, progress);
        try {
            Files.createDirectories(p.dir);
            // The data plane forwards frames, not veth's 64 KiB offload super-frames: segment at the senders.
            List<String> senders = new ArrayList<>(List.of("client"));
            senders.addAll(lab.topology().lab().realServerNames());
            for (String h : senders) {
                lab.netns().tryExec(lab.topology().ns(h), Duration.ofSeconds(10), "ethtool", "-K", "eth0", "tso", "off",
                        "gso", "off", "gro", "off");
            }
            for (int d = 1; d <= 2; d++) {
                Files.writeString(p.configFile(d), config.yaml(d));
            }
            progress.say("pair: starting dir1 and dir2 (lvsha run, userspace data plane, sync %s, adverts every %d ms)",
                    config.sync() ? "on" : "off", config.advertInterval().toMillis());
            p.launch(1);
            p.launch(2);
            p.awaitWhole("the pair's first election");
            p.await("the VIP to answer from the client", p::vipAnswers);
            progress.say("pair: dir%d is master, dir%d backup, the VIP answers", p.master(), 3 - p.master());
            return p;
        } catch (IOException e) {
            p.close();
            throw new UncheckedIOException("cannot write the pair's files under " + p.dir, e);
        } catch (RuntimeException e) {
            p.close();
            throw e;
        }
    }

    public PairConfig config() {
        return config;
    }

    public RunningLab lab() {
        return lab;
    }

    Path configFile(int d) {
        return dir.resolve("dir" + d + ".yaml");
    }

    Path statusFile(int d) {
        return dir.resolve("dir" + d + ".status.json");
    }

    private void launch(int d) {
        try {
            Files.deleteIfExists(statusFile(d));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        processes[d] = lab.spawn("dir" + d, DIRECTOR_JVM, List.of("run", "--config", configFile(d).toString(),
                "--run-dir", dir.resolve("run").toString(), "--status-file", statusFile(d).toString(), "--sync-timeout", "60"));
    }

    /** The director's VRRP status as its status file says, or empty while it starts or after it died. */
    JsonNode status(int d) {
        Process p = processes[d];
        if (p == null || !p.isAlive()) {
            return JSON.createObjectNode();
        }
        return readStatus(statusFile(d));
    }

    static JsonNode readStatus(Path file) {
        try {
            return JSON.readTree(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException | RuntimeException e) {
            return JSON.createObjectNode(); // not written yet, or replaced while read
        }
    }

    public String state(int d, String instance) {
        return status(d).path("instances").path(instance).path("state").asText("NONE");
    }

    private boolean both(int d, String state) {
        return state.equals(state(d, "vip")) && state.equals(state(d, "dip"));
    }

    /** The director that is master of both instances while the other is backup of both, or 0. */
    public int master() {
        for (int d = 1; d <= 2; d++) {
            if (both(d, "MASTER") && both(3 - d, "BACKUP")) {
                return d;
            }
        }
        return 0;
    }

    /** Waits (bounded) until one director is master and the other backup; returns the master. */
    public int awaitWhole(String what) {
        await(what + " (one master, one backup)", () -> master() != 0);
        return master();
    }

    public boolean vipAnswers() {
        Shell.Result r = lab.netns().tryExec(lab.topology().client(), Duration.ofSeconds(5), "curl", "-s", "-m", "2",
                "http://" + AddressPlan.VIP4 + ":" + AddressPlan.HTTP_PORT + "/");
        return r.ok() && !r.stdout().isBlank();
    }

    /** SIGKILL: no priority-0 advert, no address removal, exactly a crash of the process. */
    public void kill(int d) {
        Process p = processes[d];
        p.destroyForcibly();
        try {
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("dir" + d + " (pid " + p.pid() + ") still alive 10 s after SIGKILL");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while killing dir" + d, e);
        }
    }

    /** Starts a killed director again; it removes its stale addresses, waits for sync's state transfer, and joins as backup. */
    public void restart(int d) {
        if (processes[d] != null && processes[d].isAlive()) {
            throw new IllegalStateException("dir" + d + " is still running");
        }
        launch(d);
        awaitWhole("dir" + d + " to rejoin");
    }

    /**
     * Planned switchover: {@code POST /failover} on the director's admin endpoint, the request {@code lvsha failover}
     * sends, made with curl in the director's namespace. A JVM start for the command itself took seconds on a loaded
     * machine and competed with the data planes for the CPU in the middle of the measurement.
     */
    public void failover(int d) {
        Shell.Result r = lab.netns().tryExec(namespace(d), Duration.ofSeconds(15), "curl", "-s", "-S", "-m", "10", "-X", "POST",
                "-w", "\n%{http_code}", "http://127.0.0.1:" + PairConfig.ADMIN_PORT + "/failover");
        String out = r.stdout().strip();
        if (!r.ok() || !out.endsWith("200")) {
            throw new IllegalStateException("failover on dir" + d + " refused: " + out + " " + r.stderr().strip());
        }
    }

    private String logOf(Process p) {
        return lab.processes().stream().filter(x -> x.pid() == p.pid()).findFirst().map(LabProcess::log).map(l -> {
            try {
                return Files.readString(Path.of(l), StandardCharsets.UTF_8).strip();
            } catch (IOException e) {
                return "(no log: " + e.getMessage() + ")";
            }
        }).orElse("");
    }

    /**
     * The director's replication lag just now from {@code /status}: the largest lag of the events its replica applied in
     * the last ~2 s (0 when none arrived); -1 without sync or when the endpoint does not answer within a second.
     */
    public long syncLagNanos(int d) {
        Shell.Result r = lab.netns().tryExec(lab.topology().ns("dir" + d), Duration.ofSeconds(3), "curl", "-s", "-m", "1",
                "http://127.0.0.1:" + PairConfig.ADMIN_PORT + "/status");
        if (!r.ok()) {
            return -1;
        }
        try {
            JsonNode lag = JSON.readTree(r.stdout()).path("sync").path("lag_recent_max_us");
            return lag.isNumber() ? Math.round(lag.asDouble() * 1000) : -1;
        } catch (IOException e) {
            return -1;
        }
    }

    /** Runs a command in a director's namespace and fails with its output when it fails. */
    public void exec(int d, String... command) {
        lab.netns().exec(lab.topology().ns("dir" + d), command);
    }

    /** A file in the pair's directory (e.g. an nft script for a scenario). */
    public Path writeFile(String name, String text) {
        try {
            return Files.writeString(dir.resolve(name), text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String namespace(int d) {
        return lab.topology().ns("dir" + d);
    }

    public long pid(int d) {
        Process p = processes[d];
        return p == null ? -1 : p.pid();
    }

    void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + SETTLE.toNanos();
        while (!condition.getAsBoolean()) {
            for (int d = 1; d <= 2; d++) {
                if (processes[d] != null && !processes[d].isAlive() && !killedOnPurpose(d)) {
                    throw new IllegalStateException("dir" + d + " exited (" + processes[d].exitValue() + ") while waiting for "
                            + what + "; its log ends with:\n" + tail(processes[d]));
                }
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(String.format(Locale.ROOT, "timed out after %d s waiting for %s; dir1 %s/%s, dir2 %s/%s; logs in %s",
                        SETTLE.toSeconds(), what, state(1, "vip"), state(1, "dip"), state(2, "vip"), state(2, "dip"), lab.logDir()));
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + what, e);
            }
        }
    }

    private boolean killedOnPurpose(int d) {
        // A director a scenario killed stays dead until its recover step; only a restarted one that died is an error.
        return processes[d].exitValue() == 137 || processes[d].exitValue() == 143;
    }

    private String tail(Process p) {
        String log = logOf(p);
        return log.length() > 3000 ? log.substring(log.length() - 3000) : log;
    }

    /** SIGTERM to both (graceful stop), SIGKILL after 15 s; the lab's close sweeps whatever is left. */
    @Override
    public void close() {
        for (int d = 1; d <= 2; d++) {
            if (processes[d] != null) {
                processes[d].destroy();
            }
        }
        for (int d = 1; d <= 2; d++) {
            Process p = processes[d];
            if (p == null) {
                continue;
            }
            try {
                if (!p.waitFor(15, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                p.destroyForcibly();
            }
        }
    }
}
