package org.lvsha.health.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.EventLoop;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.lvsha.health.check.CheckResult;
import org.lvsha.health.check.CheckTransport;
import org.lvsha.health.check.Checker;
import org.lvsha.health.check.FailureReason;
import org.lvsha.health.config.CheckTiming;
import org.lvsha.health.event.CheckCounters;

/** The runner on a real event loop with scripted checkers: misbehaving checkers never stop the schedule. */
class CheckRunnerTest {
    private static final CheckTiming FAST = new CheckTiming(Duration.ofMillis(20), Duration.ofMillis(50), 1, 2,
            Duration.ofMillis(10), Duration.ZERO);
    private static CheckTransport transport;

    @BeforeAll
    static void loop() {
        transport = CheckTransport.create(1, 1);
    }

    @AfterAll
    static void close() {
        transport.close();
    }

    private record Probe(CheckResult result, RiseFallCounter.State state, boolean changed) {
    }

    private static final class Scripted implements Checker {
        final AtomicInteger calls = new AtomicInteger();
        final Supplier<CompletableFuture<CheckResult>> next;

        Scripted(Supplier<CompletableFuture<CheckResult>> next) {
            this.next = next;
        }

        @Override
        public CompletableFuture<CheckResult> check(EventLoop loop, Duration timeout) {
            calls.incrementAndGet();
            return next.get();
        }

        @Override
        public String describe() {
            return "scripted";
        }
    }

    private static List<Probe> run(Scripted checker, int probes, CheckCounters counters) {
        List<Probe> seen = new CopyOnWriteArrayList<>();
        CheckRunner runner = new CheckRunner(checker, FAST, transport.group().next(), HealthClock.SYSTEM, counters,
                (r, result, state, changed) -> seen.add(new Probe(result, state, changed)));
        runner.start();
        try {
            Awaitility.await().atMost(10, TimeUnit.SECONDS).until(() -> seen.size() >= probes);
        } finally {
            runner.stop();
        }
        return seen;
    }

    @Test
    void aCheckerThatThrowsIsAFailedProbeAndTheScheduleGoesOn() {
        CheckCounters counters = new CheckCounters();
        List<Probe> seen = run(new Scripted(() -> {
            throw new IllegalStateException("bug in checker");
        }), 3, counters);
        assertThat(seen).allSatisfy(p -> assertThat(p.result().reason()).isEqualTo(FailureReason.CHECKER_ERROR));
        assertThat(seen.get(0).state()).isEqualTo(RiseFallCounter.State.DOWN);
        assertThat(counters.failures(FailureReason.CHECKER_ERROR)).isGreaterThanOrEqualTo(3);
    }

    @Test
    void aCheckerThatNeverAnswersTimesOutAndTheScheduleGoesOn() {
        Scripted never = new Scripted(CompletableFuture::new);
        List<Probe> seen = run(never, 3, new CheckCounters());
        assertThat(seen).allSatisfy(p -> assertThat(p.result().reason()).isEqualTo(FailureReason.TIMEOUT));
    }

    @Test
    void aFailedFutureIsAFailedProbe() {
        List<Probe> seen = run(new Scripted(() -> CompletableFuture.failedFuture(new RuntimeException("boom"))), 2, new CheckCounters());
        assertThat(seen.get(0).result().reason()).isEqualTo(FailureReason.CHECKER_ERROR);
    }

    @Test
    void aSuccessfulCheckGoesUpOnceAndStaysUp() {
        CheckCounters counters = new CheckCounters();
        List<Probe> seen = run(new Scripted(() -> CompletableFuture.completedFuture(CheckResult.up())), 4, counters);
        assertThat(seen).extracting(Probe::changed).startsWith(true, false, false);
        assertThat(seen).allSatisfy(p -> assertThat(p.state()).isEqualTo(RiseFallCounter.State.UP));
        assertThat(counters.checksRun()).isGreaterThanOrEqualTo(4);
    }

    @Test
    void afterTheFirstFailureOfAnUpCheckTheRetryComesSooner() {
        AtomicInteger n = new AtomicInteger();
        long[] starts = new long[4];
        Scripted flaky = new Scripted(() -> {
            int i = n.getAndIncrement();
            if (i < starts.length) {
                starts[i] = System.nanoTime();
            }
            return CompletableFuture.completedFuture(i == 0 ? CheckResult.up() : CheckResult.down(FailureReason.CONNECT_REFUSED, "x"));
        });
        // The interval (2 s) and the retry delay (20 ms) are far apart, so a thread descheduled for hundreds of ms
        // on a loaded machine cannot make a retry look like an interval or the other way round.
        CheckTiming slowInterval = new CheckTiming(Duration.ofSeconds(2), Duration.ofMillis(50), 1, 3, Duration.ofMillis(20), Duration.ZERO);
        List<Probe> seen = new CopyOnWriteArrayList<>();
        CheckRunner runner = new CheckRunner(flaky, slowInterval, transport.group().next(), HealthClock.SYSTEM, new CheckCounters(),
                (r, result, state, changed) -> seen.add(new Probe(result, state, changed)));
        runner.start();
        try {
            Awaitility.await().atMost(30, TimeUnit.SECONDS).until(() -> seen.size() >= 4);
        } finally {
            runner.stop();
        }
        // up -> (interval) first failure -> (retry) second failure -> (retry) third failure: down
        assertThat(TimeUnit.NANOSECONDS.toMillis(starts[1] - starts[0])).isGreaterThanOrEqualTo(1990);
        assertThat(TimeUnit.NANOSECONDS.toMillis(starts[2] - starts[1])).isLessThan(1000);
        assertThat(TimeUnit.NANOSECONDS.toMillis(starts[3] - starts[2])).isLessThan(1000);
        assertThat(seen.get(3).state()).isEqualTo(RiseFallCounter.State.DOWN);
        assertThat(seen.get(3).changed()).isTrue();
    }
}
