package org.lvsha.dist.drill;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/** Runs the traffic generator in this JVM, on its own event-loop thread. */
public final class InProcessTraffic implements TrafficSource {
    /** The generator warms up for at most 5 s; on a loaded machine the event loop starting adds some. */
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    private final AtomicBoolean interrupted;

    public InProcessTraffic() {
        this(new AtomicBoolean());
    }

    /** {@code interrupted} set (by a Ctrl-C handler, say) ends the traffic early, as {@link Running#stop()} does. */
    public InProcessTraffic(AtomicBoolean interrupted) {
        this.interrupted = interrupted;
    }

    @Override
    public Running start(TrafficPlan plan) throws IOException, InterruptedException {
        AtomicBoolean stop = new AtomicBoolean();
        CompletableFuture<Long> started = new CompletableFuture<>();
        TrafficGenerator generator = new TrafficGenerator(plan,
                new TrafficLog(plan.httpTarget(), TrafficGenerator.logCapacity(plan)), () -> stop.get() || interrupted.get())
                .onStart(started::complete);
        CompletableFuture<TrafficLog> done = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                done.complete(generator.run());
            } catch (Throwable e) {
                done.completeExceptionally(e);
                started.completeExceptionally(e);
            }
        }, "drill-traffic");
        t.setDaemon(true);
        t.start();
        long startNanos;
        try {
            startNanos = started.get(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IOException("traffic did not start: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            stop.set(true);
            throw new IOException("traffic did not start within " + START_TIMEOUT);
        }
        return new Running() {
            @Override
            public long startNanos() {
                return startNanos;
            }

            @Override
            public void stop() {
                stop.set(true);
            }

            @Override
            public TrafficLog await(Duration timeout) throws IOException, InterruptedException {
                try {
                    return done.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                } catch (ExecutionException e) {
                    throw new IOException("traffic failed: " + e.getCause().getMessage(), e.getCause());
                } catch (TimeoutException e) {
                    throw new IOException("traffic did not end within " + timeout);
                }
            }

            @Override
            public void close() {
                stop.set(true);
            }
        };
    }
}
