package org.lvsha.health.check;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.EventLoop;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The probe deadline on a real event loop: a slow server times out, a stalled checker loop does not fail servers. */
class BoundedProbeTest {
    private static final Duration TIMEOUT = Duration.ofMillis(100);
    private static CheckTransport transport;

    @BeforeAll
    static void loop() {
        transport = CheckTransport.create(1, 1);
    }

    @AfterAll
    static void close() {
        transport.close();
    }

    /** Answers UP after {@code answerMs}; before returning, holds the loop thread for {@code stallMs} (a starved or paused director). */
    private static Checker answeringAfter(long answerMs, long stallMs) {
        return new Checker() {
            @Override
            public CompletableFuture<CheckResult> check(EventLoop loop, Duration timeout) {
                CompletableFuture<CheckResult> f = new CompletableFuture<>();
                loop.schedule(() -> f.complete(CheckResult.up()), answerMs, TimeUnit.MILLISECONDS);
                long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(stallMs);
                while (System.nanoTime() - until < 0) {
                    Thread.onSpinWait();
                }
                return f;
            }

            @Override
            public String describe() {
                return "answers after " + answerMs + " ms";
            }
        };
    }

    private static CheckResult probe(Checker c) {
        EventLoop loop = transport.group().next();
        CompletableFuture<CompletableFuture<CheckResult>> started = new CompletableFuture<>();
        loop.execute(() -> started.complete(BoundedProbe.run(c, loop, TIMEOUT)));
        return started.join().orTimeout(10, TimeUnit.SECONDS).join();
    }

    @Test
    void anAnswerAfterTheTimeoutIsATimeout() {
        assertThat(probe(answeringAfter(300, 0)).reason()).isEqualTo(FailureReason.TIMEOUT);
    }

    @Test
    void anAnswerWithinTheTimeoutIsUp() {
        assertThat(probe(answeringAfter(10, 0)).isUp()).isTrue();
    }

    @Test
    void whenTheCheckersLoopStalledTheServerIsNotBlamed() {
        // answer due at 150 ms, deadline at 100 ms, but the loop is stuck until 250 ms: both fire late; the
        // deadline gives the probe the time the loop lost, and the answer wins
        assertThat(probe(answeringAfter(150, 250)).isUp()).isTrue();
    }

    @Test
    void aServerThatNeverAnswersIsStillDownAfterAStall() {
        CheckResult r = probe(answeringAfter(60_000, 250));
        assertThat(r.reason()).isEqualTo(FailureReason.TIMEOUT);
        assertThat(r.detail()).contains("extended once");
    }
}
