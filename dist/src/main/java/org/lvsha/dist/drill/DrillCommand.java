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
 * {@code lvsha drill}: failover drill. Client-only mode: traffic against a real deployment while the operator
 * triggers the event, then the report. Lab mode ({@code --lab}, {@link LabDrill}): a namespace lab with the director
 * pair, the scenarios of {@link LabScenarios} with {@link NamespaceTraffic} through the same {@link DrillRun}.
 */
@Command(name = "drill", mixinStandardHelpOptions = true, subcommands = TrafficCommand.class,
        description = "Run client traffic (request rate plus long-lived connections) against a virtual service and report "
                + "how long the VIP was away, failed requests and broken connections, as text, an HTML timeline and JSON. "
                + "Client-only (--target): trigger the event (switchover, crash, link loss) on the directors while it runs. "
                + "Lab (--lab, as root): builds a namespace lab, starts the director pair (lvsha run, userspace data plane) "
                + "and performs the scenarios itself. "
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

    @Option(names = "--lab", description = "Build a namespace lab with the director pair and run --scenario in it (needs root). "
            + "Traffic defaults there: --rate 100, --long-lived 10, --timeout 800ms.")
    boolean lab;

    @Option(names = "--layout", paramLabel = "dr|nat", defaultValue = "dr", description = "Lab layout (default ${DEFAULT-VALUE}).")
    String layout;

    @Option(names = "--scenario", paramLabel = "NAME", defaultValue = "all", description = "Lab scenario: switchover, crash, linkdown, partition, rsfail, several separated by commas, or all (default ${DEFAULT-VALUE}).")
    String scenario;

    @Option(names = "--no-sync", description = "Lab: run the pair without connection sync (established connections then break at a failover).")
    boolean noSync;

    @Option(names = "--quick", description = "Lab: shorter phases (2 s before the event, 2 s held, 1 s after recovery), for a demo.")
    boolean quick;

    @Option(names = "--prefix", paramLabel = "P", description = "Lab: namespace prefix (default: a fresh drXXXX); 'lvsha lab down --prefix P' removes leftovers.")
    String prefix;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (lab) {
            return runLab(out, err);
        }
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

    private int runLab(PrintWriter out, PrintWriter err) throws Exception {
        if (traffic.target != null || maxGap != null || maxFailed != null) {
            err.println("drill: --lab targets the lab's VIP and judges each scenario by its own bound; "
                    + "--target, --max-gap and --max-failed are for client-only drills");
            return 2;
        }
        LabDrill.Settings settings;
        try {
            traffic.target = org.lvsha.dist.lab.AddressPlan.VIP4 + ":" + org.lvsha.dist.lab.AddressPlan.HTTP_PORT;
            // Lighter defaults in the lab: every lab process shares this machine's CPUs with the data planes it measures.
            var parsed = spec.commandLine().getParseResult();
            if (!parsed.hasMatchedOption("--rate")) {
                traffic.rate = 100;
            }
            if (!parsed.hasMatchedOption("--long-lived")) {
                traffic.longLived = 10;
            }
            if (!parsed.hasMatchedOption("--timeout")) {
                // Below TCP's initial 1 s SYN retransmission: a SYN lost to a dead director must count as a failure,
                // not hide inside one slow request that the retransmitted SYN completes through the new master.
                traffic.timeout = Duration.ofMillis(800);
            }
            org.lvsha.dist.lab.Layout l = switch (layout) {
                case "dr" -> org.lvsha.dist.lab.Layout.DR;
                case "nat" -> org.lvsha.dist.lab.Layout.NAT;
                default -> throw new IllegalArgumentException("--layout must be dr or nat");
            };
            PairConfig pair = new PairConfig(l, 2, !noSync, advertInterval == null ? Duration.ofMillis(100) : advertInterval);
            for (String name : scenario.equals("all") ? LabScenarios.NAMES : List.of(scenario.split(","))) {
                if (!LabScenarios.NAMES.contains(name.strip())) {
                    throw new IllegalArgumentException("unknown scenario '" + name + "'; one of "
                            + String.join(", ", LabScenarios.NAMES) + ", all");
                }
            }
            settings = new LabDrill.Settings(new org.lvsha.dist.lab.Lab(l, 2, false), pair, scenario,
                    LabDrill.vipTraffic(traffic.plan()), LabDrill.timing(quick), prefix,
                    reportDir.resolve("lab-logs").toAbsolutePath());
        } catch (IllegalArgumentException e) {
            err.println("drill: " + e.getMessage());
            return 2;
        }
        if (!org.lvsha.core.lab.Privileges.netnsAvailable()) {
            err.println("drill: --lab needs network namespaces: " + org.lvsha.core.lab.Privileges.netnsUnavailableReason().orElse(""));
            return 1;
        }
        DrillSuite.Outcome outcome = LabDrill.run(settings, out);
        String name = "lab-" + layout + (noSync ? "-nosync" : "");
        out.println();
        out.print(TextReport.render(outcome.results()));
        for (DrillSuite.Failure f : outcome.failures()) {
            out.printf("%s: could not run: %s%n", f.scenario(), f.error());
        }
        if (!outcome.results().isEmpty()) {
            DrillReportFiles.Written files = DrillReportFiles.write(reportDir, name, outcome.results());
            out.printf("report: %s%n        %s%n        %s%n", files.text(), files.html(), files.json());
        }
        out.flush();
        boolean failed = !outcome.failures().isEmpty()
                || outcome.results().stream().anyMatch(r -> r.verdict() == DrillResult.Verdict.FAIL);
        return failed ? 1 : 0;
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
