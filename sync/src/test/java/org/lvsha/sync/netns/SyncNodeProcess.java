package org.lvsha.sync.netns;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.lvsha.core.lab.NetnsLab;

/** Test-side handle of a {@link SyncNodeMain} JVM running inside a namespace: commands out, {@code @@} lines back. */
final class SyncNodeProcess implements AutoCloseable {
    private final String name;
    private final Process process;
    private final PrintWriter stdin;
    private final BlockingQueue<String> replies = new LinkedBlockingQueue<>();
    private final List<String> log = new ArrayList<>();

    private SyncNodeProcess(String name, Process process, Path logFile) {
        this.name = name;
        this.process = process;
        this.stdin = new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8);
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
                 var out = Files.newBufferedWriter(logFile)) {
                String line;
                while ((line = r.readLine()) != null) {
                    out.write(line);
                    out.newLine();
                    out.flush();
                    synchronized (log) {
                        log.add(line);
                    }
                    if (line.startsWith("@@ ")) {
                        replies.add(line.substring(3));
                    }
                }
            } catch (IOException e) {
                // the process died; expect() reports what was seen
            }
        }, "node-" + name);
        reader.setDaemon(true);
        reader.start();
    }

    static SyncNodeProcess start(String name, String ns, Path logDir, String... args) {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>(List.of(java, "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-Djava.net.preferIPv4Stack=true", "-cp", System.getProperty("java.class.path"), SyncNodeMain.class.getName()));
        cmd.addAll(List.of(args));
        try {
            Files.createDirectories(logDir);
            Process p = new ProcessBuilder(NetnsLab.nsCommand(ns, cmd.toArray(String[]::new))).redirectErrorStream(true).start();
            return new SyncNodeProcess(name, p, logDir.resolve(name + ".log"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits for the next reply starting with {@code prefix} (others are skipped). */
    String expect(String prefix, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            String line = left <= 0 ? null : replies.poll(left, TimeUnit.NANOSECONDS);
            if (line == null) {
                throw new AssertionError(name + ": no '" + prefix + "' within " + timeout + "; output tail:\n" + tail());
            }
            if (line.startsWith(prefix)) {
                return line;
            }
            if (line.startsWith("failed")) {
                throw new AssertionError(name + ": " + line + "\n" + tail());
            }
        }
    }

    /** Sends a command and returns its reply. */
    String ask(String command, String replyPrefix) throws InterruptedException {
        stdin.println(command);
        return expect(replyPrefix, Duration.ofSeconds(30));
    }

    int size() throws InterruptedException {
        return Integer.parseInt(ask("size", "size ").substring(5));
    }

    /** Polls {@code size} until it equals {@code n}, at most {@code timeout}; returns the last size seen. */
    int awaitSize(int n, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        int s = size();
        for (int i = 0; i < 10_000 && s != n && System.nanoTime() < deadline; i++) {
            Thread.sleep(100);
            s = size();
        }
        return s;
    }

    /** SIGKILL (ip netns exec has exec'ed into the JVM, so this hits the JVM itself). */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    String tail() {
        synchronized (log) {
            return String.join("\n", log.subList(Math.max(0, log.size() - 40), log.size()));
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }
}
