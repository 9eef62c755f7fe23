package org.lvsha.dist.lab;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.lvsha.core.lab.NetnsLab;

/**
 * A line-oriented client process inside a lab namespace (curl, busybox nc), read with bounded
 * waits: the test JVM cannot open sockets in another namespace itself.
 */
final class LineClient implements AutoCloseable {
    private final Process process;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

    private LineClient(Process process) {
        this.process = process;
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    lines.add(line);
                }
            } catch (IOException e) {
                // The process was killed: no more lines.
            }
        }, "line-client");
        reader.setDaemon(true);
        reader.start();
    }

    static LineClient start(String ns, String... command) throws IOException {
        return new LineClient(new ProcessBuilder(NetnsLab.nsCommand(ns, command))
                .redirectError(ProcessBuilder.Redirect.DISCARD).start());
    }

    /** The next line, or null if none arrives within {@code timeout}. */
    String next(Duration timeout) throws InterruptedException {
        return lines.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    void send(String line) throws IOException {
        OutputStream out = process.getOutputStream();
        out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    boolean alive() {
        return process.isAlive();
    }

    List<String> drained() {
        List<String> rest = new java.util.ArrayList<>();
        lines.drainTo(rest);
        return rest;
    }

    @Override
    public void close() {
        process.destroyForcibly();
        try {
            process.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
