package org.lvsha.dist.drill;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code lvsha drill}: failover drill. Today the client-only mode: traffic against a real
 * deployment while the operator triggers the event, then the report. The lab scenarios
 * ({@code --lab --scenario switchover|crash|linkdown|partition|rsfail|all}, {@code --no-sync}) plug in
 * as other {@link Scenario}s with {@link NamespaceTraffic} through the same {@link DrillRun}.
 */
@Command(name = "drill", mixinStandardHelpOptions = true, subcommands = TrafficCommand.class,
        description = "Run client traffic (request rate plus long-lived connections) against a virtual service and report "
                + "how long the VIP was away, failed requests and broken connections, as text, an HTML timeline and JSON. "
                + "Client-only: trigger the event (switchover, crash, link loss) on the directors while it runs. "
                + "Ctrl-C ends the traffic early and still reports. Exit status: 0 pass or no bound given, 1 a bound was missed, 2 bad options.")
public final class DrillCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    TrafficOptions traffic;

    @Option(names = "--report-dir", paramLabel = "DIR", defaultValue = ".", description = "Where to write the report as .txt, .html and .json (default: the current directory).")
    Path reportDir;

    @Option(names = "--label", paramLabel = "NAME", defaultValue = "client-only", description = "Name of this drill in the report (default ${DEFAULT-VALUE}).")
    String label;

    @Option(names = "--max-gap", paramLabel = "TIME", converter = DurationConverter.class, description = "Bound for the verdict: the client-visible gap must not exceed it (e.g. the master-down interval).")
    Duration maxGap;

    @Option(names = "--advert-interval", paramLabel = "TIME", converter = DurationConverter.class, description = "Bound the gap by the VRRP master-down interval for this advert interval (RFC 5798 6.1), e.g. for a crash drill.")
    Duration advertInterval;

    @Option(names = "--backup-priority", paramLabel = "N", defaultValue = "100", description = "The backup's VRRP priority, for the skew time of --advert-interval (default ${DEFAULT-VALUE}).")
    int backupPriority;

    @Option(names = "--tolerance", paramLabel = "TIME", defaultValue = "5ms", converter = DurationConverter.class, description = "Allowed excess over --max-gap (default ${DEFAULT-VALUE}).")
    Duration tolerance;

    @Option(names = "--max-failed", paramLabel = "N", description = "Bound for the verdict: at most N failed requests (0 for a planned switchover).")
    Integer maxFailed;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        TrafficPlan plan;
        try {
            plan = traffic.plan();
        } catch (IllegalArgumentException e) {
            err.println("drill: " + e.getMessage());
            return 2;
        }
        Expectation expectation;
        try {
            expectation = expectation();
        } catch (IllegalArgumentException e) {
            err.println("drill: " + e.getMessage());
            return 2;
        }
        Scenario scenario = new ClientOnlyScenario(label, expectation);
        // Ctrl-C ends the traffic early but still reports what was measured: the hook holds the JVM
        // (bounded) until the report is written.
        AtomicBoolean interrupted = new AtomicBoolean();
        CountDownLatch reported = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            interrupted.set(true);
            try {
                reported.await(REPORT_AFTER_INTERRUPT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "drill-interrupt");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            DrillResult result = new DrillRun(scenario, new InProcessTraffic(interrupted), plan, DrillRun.Timing.standard(), out).run();
            List<DrillResult> results = List.of(result);
            if (interrupted.get()) {
                out.println("drill: interrupted, reporting the traffic sent so far");
            }
            out.print(TextReport.render(results));
            DrillReportFiles.Written files = DrillReportFiles.write(reportDir, label, results);
            out.printf("report: %s%n        %s%n        %s%n", files.text(), files.html(), files.json());
            out.flush();
            return result.verdict() == DrillResult.Verdict.FAIL ? 1 : 0;
        } finally {
            reported.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // Already shutting down: the hook is running and has just been released.
            }
        }
    }

    /** In-flight requests end within their timeout; this bounds how long Ctrl-C waits for the report. */
    private static final Duration REPORT_AFTER_INTERRUPT = Duration.ofSeconds(15);

    Expectation expectation() {
        if (maxGap == null && maxFailed == null && advertInterval == null) {
            return Expectation.NONE;
        }
        if (maxGap != null && advertInterval != null) {
            throw new IllegalArgumentException("give --max-gap or --advert-interval, not both");
        }
        String name = maxGap != null ? "--max-gap" : "";
        Duration bound = maxGap;
        if (advertInterval != null) {
            MasterDownInterval mdi = new MasterDownInterval(advertInterval, backupPriority);
            name = mdi.describe();
            bound = mdi.interval();
        }
        return new Expectation(name, bound, tolerance, maxFailed == null ? Integer.MAX_VALUE : maxFailed, false);
    }
}
