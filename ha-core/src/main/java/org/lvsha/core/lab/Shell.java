package org.lvsha.core.lab;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs an external command (iproute2, nft, sysctl...) with a bounded wait and captured output.
 * Lab plumbing only: the daemon's data path talks to the kernel through the platform layer.
 */
public final class Shell {
    private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    private Shell() {
    }

    /** What a finished command left behind. */
    public record Result(List<String> command, int exitCode, String stdout, String stderr) {
        public boolean ok() {
            return exitCode == 0;
        }

        /** Returns this result, or throws with the command, exit code and stderr if it failed. */
        public Result orThrow() {
            if (exitCode != 0) {
                throw new CommandFailedException(this);
            }
            return this;
        }
    }

    /** A command that exited non-zero, with everything a person needs to see why. */
    public static final class CommandFailedException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final transient Result result;

        CommandFailedException(Result r) {
            super("'" + String.join(" ", r.command()) + "' exited " + r.exitCode()
                    + (r.stderr().isBlank() ? "" : ": " + r.stderr().strip()));
            this.result = r;
        }

        public Result result() {
            return result;
        }
    }

    /** Runs and throws if the command fails. */
    public static Result run(String... command) {
        return exec(DEFAULT_TIMEOUT, List.of(command)).orThrow();
    }

    /** Runs and returns the result whatever the exit code (for teardown and probes). */
    public static Result tryRun(String... command) {
        return exec(DEFAULT_TIMEOUT, List.of(command));
    }

    public static Result exec(Duration timeout, List<String> command) {
        ProcessBuilder pb = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            return new Result(command, 127, "", e.getMessage());
        }
        CompletableFuture<String> out = drain(p.getInputStream());
        CompletableFuture<String> err = drain(p.getErrorStream());
        try {
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
                return new Result(command, 124, out.getNow(""), "timed out after " + timeout);
            }
            return new Result(command, p.exitValue(), out.join(), err.join());
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            return new Result(command, 130, "", "interrupted");
        }
    }

    private static CompletableFuture<String> drain(InputStream in) {
        return CompletableFuture.supplyAsync(() -> {
            try (in) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }
}
