package org.lvsha.health.check;

import io.netty.channel.EventLoop;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.lvsha.health.config.CommandCheck;

/**
 * Runs a program on the transport's command pool (never on an event loop). Exit 0 up, 1 down; with dynamic
 * weights, exit 2..255 up with weight {@code code - 2}, or a weight on the first line of stdout. At most
 * {@value #MAX_OUTPUT} bytes of output are kept. On timeout, or whenever the caller completes the future
 * first, the process and its descendants are killed.
 */
public final class CommandChecker implements Checker {
    static final int MAX_OUTPUT = 4096;
    private final CheckTransport transport;
    private final CheckTarget target;
    private final CommandCheck spec;
    private final List<String> command;

    public CommandChecker(CheckTransport transport, CheckTarget target, CommandCheck spec) {
        this.transport = transport;
        this.target = target;
        this.spec = spec;
        List<String> c = new ArrayList<>(spec.command().size());
        for (String arg : spec.command()) {
            c.add(arg.replace("{rip}", target.address().getAddress().getHostAddress())
                    .replace("{rport}", Integer.toString(target.address().getPort())));
        }
        this.command = List.copyOf(c);
    }

    @Override
    public CompletableFuture<CheckResult> check(EventLoop loop, Duration timeout) {
        CompletableFuture<CheckResult> result = new CompletableFuture<>();
        try {
            transport.commandPool().execute(() -> run(result, timeout));
        } catch (RejectedExecutionException e) {
            result.complete(CheckResult.down(FailureReason.CHECKER_ERROR, "command pool full: too many commands running"));
        }
        return result;
    }

    private void run(CompletableFuture<CheckResult> result, Duration timeout) {
        if (result.isDone()) {
            return;
        }
        Process p;
        try {
            p = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        } catch (IOException e) {
            result.complete(CheckResult.down(FailureReason.CHECKER_ERROR, "cannot start " + command.get(0) + ": " + e.getMessage()));
            return;
        }
        result.whenComplete((r, e) -> kill(p));
        try {
            String out = readBounded(p.getInputStream(), result, p, timeout);
            if (!p.waitFor(Math.max(1, timeout.toMillis()), TimeUnit.MILLISECONDS)) {
                result.complete(CheckResult.down(FailureReason.TIMEOUT, "command still running after " + timeout));
                return;
            }
            result.complete(judge(p.exitValue(), out, spec.dynamicWeight()));
        } catch (IOException e) {
            result.complete(CheckResult.down(FailureReason.TIMEOUT, "command output: " + e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            result.complete(CheckResult.down(FailureReason.CHECKER_ERROR, "interrupted"));
        } finally {
            kill(p);
        }
    }

    /** Reads at most MAX_OUTPUT bytes, giving up (and killing the process) at the timeout. */
    private static String readBounded(InputStream in, CompletableFuture<CheckResult> result, Process p, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        // A reader blocked on a silent child is released by the kill at the deadline.
        CompletableFuture<Void> killer = CompletableFuture.runAsync(() -> kill(p),
                CompletableFuture.delayedExecutor(timeout.toNanos(), TimeUnit.NANOSECONDS));
        byte[] buf = new byte[MAX_OUTPUT];
        int n = 0;
        try {
            int r;
            while (n < buf.length && (r = in.read(buf, n, buf.length - n)) >= 0) {
                n += r;
            }
            // keep draining (and dropping) the rest, so a chatty command is not blocked on a full pipe
            byte[] scratch = new byte[4096];
            while (n == buf.length && in.read(scratch) >= 0) {
                // discarded
            }
            if (System.nanoTime() - deadline > 0) {
                result.complete(CheckResult.down(FailureReason.TIMEOUT, "command killed after " + timeout));
            }
        } finally {
            killer.cancel(false);
        }
        return new String(buf, 0, n, StandardCharsets.UTF_8);
    }

    static CheckResult judge(int exit, String out, CommandCheck.DynamicWeightSource source) {
        String firstLine = out.lines().findFirst().orElse("").strip();
        if (exit == 1 || (exit != 0 && source != CommandCheck.DynamicWeightSource.exit)) {
            return CheckResult.down(FailureReason.EXIT_CODE, "exit " + exit + (firstLine.isEmpty() ? "" : ": " + firstLine));
        }
        if (source == CommandCheck.DynamicWeightSource.exit && exit >= 2) {
            return CheckResult.up("exit " + exit, DynamicWeight.absolute(exit - 2), null);
        }
        if (source == CommandCheck.DynamicWeightSource.stdout && !firstLine.isEmpty()) {
            try {
                if (firstLine.endsWith("%")) {
                    return CheckResult.up(firstLine, DynamicWeight.percentOf(Math.max(0, Integer.parseInt(firstLine.substring(0, firstLine.length() - 1).strip()))), null);
                }
                return CheckResult.up(firstLine, DynamicWeight.absolute(Math.max(0, Integer.parseInt(firstLine))), null);
            } catch (NumberFormatException e) {
                return CheckResult.up("exit 0 (no weight in output: " + firstLine + ")", null, null);
            }
        }
        return CheckResult.up();
    }

    private static void kill(Process p) {
        if (p.isAlive()) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
    }

    @Override
    public String describe() {
        return "command " + String.join(" ", command) + " for " + target.hostPort();
    }
}
