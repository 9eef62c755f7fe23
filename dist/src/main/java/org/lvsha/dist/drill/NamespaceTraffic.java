package org.lvsha.dist.drill;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.lvsha.dist.lab.LvshaJvm;
import org.lvsha.dist.lab.RunningLab;

/**
 * Runs the traffic as {@code lvsha drill traffic} in a lab host's namespace (the client, by
 * default): this JVM lives in the root namespace and cannot open sockets in another one. The two
 * processes meet through files in the lab's log directory; both stamp with CLOCK_MONOTONIC, so the
 * traffic log lines up with the events this JVM records.
 */
public final class NamespaceTraffic implements TrafficSource {
    /** A JVM start plus the warm-up, on a machine shared with other builds. */
    public static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final List<String> JVM = Stream.concat(LvshaJvm.SMALL_JVM.stream().filter(o -> !o.startsWith("-Xmx")),
            Stream.of("-Xmx128m", "-DLVSHA_LOG_LEVEL=WARN")).toList();

    private final RunningLab lab;
    private final String host;
    private final Path out;

    public NamespaceTraffic(RunningLab lab, String host, Path out) {
        this.lab = lab;
        this.host = host;
        this.out = out;
    }

    /** The lab's client host, log file in the lab's log directory. */
    public static NamespaceTraffic fromClient(RunningLab lab, String name) {
        return new NamespaceTraffic(lab, "client", lab.logDir().resolve(name + ".traffic"));
    }

    @Override
    public Running start(TrafficPlan plan) throws IOException, InterruptedException {
        Files.deleteIfExists(out);
        Path started = TrafficCommand.startedFile(out);
        Path stop = TrafficCommand.stopFile(out);
        Files.deleteIfExists(started);
        Files.deleteIfExists(stop);
        List<String> args = new ArrayList<>(List.of("drill", "traffic", "--out=" + out));
        args.addAll(TrafficOptions.args(plan));
        Process p = lab.spawn(host, JVM, args);
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        long startNanos = -1;
        while (startNanos < 0) {
            if (Files.exists(started)) {
                String s = Files.readString(started, StandardCharsets.US_ASCII).strip();
                if (!s.isEmpty()) {
                    startNanos = Long.parseLong(s);
                    break;
                }
            }
            if (!p.isAlive()) {
                throw new IOException("traffic process in " + host + " exited (" + p.exitValue() + ") before starting; see "
                        + lab.logDir());
            }
            if (System.nanoTime() > deadline) {
                p.destroyForcibly();
                throw new IOException("traffic process in " + host + " did not start within " + START_TIMEOUT);
            }
            Thread.sleep(20);
        }
        long start = startNanos;
        return new Running() {
            @Override
            public long startNanos() {
                return start;
            }

            @Override
            public void stop() throws IOException {
                Files.writeString(stop, "stop\n", StandardCharsets.US_ASCII);
            }

            @Override
            public TrafficLog await(Duration timeout) throws IOException, InterruptedException {
                if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    p.destroyForcibly();
                    throw new IOException("traffic process in " + host + " did not end within " + timeout);
                }
                if (p.exitValue() != 0 || !Files.exists(out)) {
                    throw new IOException("traffic process in " + host + " failed (exit " + p.exitValue() + "); see " + lab.logDir());
                }
                return TrafficLog.readFrom(out);
            }

            @Override
            public void close() {
                if (p.isAlive()) {
                    p.destroyForcibly();
                    try {
                        p.waitFor(5, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            }
        };
    }
}
