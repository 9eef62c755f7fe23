package org.lvsha.dist.lab;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.lvsha.core.lab.NetnsLab;
import org.lvsha.core.lab.Privileges;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code lvsha lab up|down|status|probe}: thin wrappers over {@link RunningLab} and friends. */
@Command(name = "lab", mixinStandardHelpOptions = true,
        description = "Build, inspect, probe and remove the network-namespace lab (LAB.md addressing plan).")
public final class LabCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(out());
        return 2;
    }

    @Command(name = "up", mixinStandardHelpOptions = true,
            description = "Create the namespaces, bridges and links, start the real servers, wait until each answers.")
    Integer up(@Option(names = "--layout", paramLabel = "dr|nat", defaultValue = "dr", description = "dr or nat (default ${DEFAULT-VALUE}).") String layout,
               @Option(names = "--real-servers", paramLabel = "N", defaultValue = "2", description = "Number of real servers (default ${DEFAULT-VALUE}).") int realServers,
               @Option(names = "--ipv6", description = "Add the IPv6 addresses of the plan too.") boolean ipv6,
               @Option(names = "--prefix", paramLabel = "P", description = "Namespace prefix (default: a fresh lvXXXX).") String prefix,
               @Option(names = "--ready-timeout", paramLabel = "SECONDS", defaultValue = "60", description = "Seconds to wait for the real servers (default ${DEFAULT-VALUE}).") int readySeconds) {
        if (!privileged()) {
            return 1;
        }
        Lab lab;
        try {
            lab = new Lab(Layout.parse(layout), realServers, ipv6);
        } catch (IllegalArgumentException e) {
            err().println("lab up: " + (e.getMessage().startsWith("No enum") ? "--layout must be dr or nat" : e.getMessage()));
            return 2;
        }
        LabRunDirectory run = LabRunDirectory.standard();
        String p = prefix != null ? prefix : NetnsLab.uniquePrefix("lv");
        if (!LabTeardown.namespaces(p).isEmpty() || run.load(p).isPresent()) {
            err().printf("lab %s already exists; take it down first: lvsha lab down --prefix %s%n", p, p);
            return 1;
        }
        // Ctrl-C or a kill during 'up' must not leave half a lab behind. The hook interrupts the
        // building thread (its next command fails and RunningLab rolls back), waits for it to settle,
        // then sweeps whatever might still have been created in between.
        Thread builder = Thread.currentThread();
        CountDownLatch settled = new CountDownLatch(1);
        Thread rollback = new Thread(() -> {
            builder.interrupt();
            try {
                settled.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            LabTeardown.down(p, List.of());
            run.forget(p);
        }, "lab-up-rollback");
        Runtime.getRuntime().addShutdownHook(rollback);
        long t0 = System.nanoTime();
        LabState state;
        try {
            RunningLab running = RunningLab.start(lab, p, run.logDir(p), false, LvshaJvm.current(),
                    Duration.ofSeconds(readySeconds));
            state = running.state();
            try {
                run.save(state);
            } catch (RuntimeException e) {
                running.close();
                throw e;
            }
        } catch (RuntimeException e) {
            // RunningLab.start has already removed what it built; the state and logs go too.
            run.forget(p);
            err().printf("lab up failed, rolled back: %s%n", e.getMessage());
            return 1;
        } finally {
            settled.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(rollback);
            } catch (IllegalStateException shuttingDown) {
                // Interrupted by a signal: the hook is already running and finishes the rollback.
            }
        }
        out().print(LabSummary.format(state, (System.nanoTime() - t0) / 1e9, run.stateFile(p).toString()));
        out().flush();
        return 0;
    }

    @Command(name = "down", mixinStandardHelpOptions = true,
            description = "Kill the lab's processes and delete its namespaces and links; succeeds if nothing is there.")
    Integer down(@Option(names = "--prefix", paramLabel = "P", description = "Which lab (default: the current one).") String prefix) {
        LabRunDirectory run = LabRunDirectory.standard();
        Optional<String> p = run.resolve(prefix);
        if (p.isEmpty()) {
            out().println("no lab to take down");
            return 0;
        }
        List<LabProcess> recorded = run.load(p.get()).map(LabState::processes).orElse(List.of());
        LabTeardown.Leftovers left = LabTeardown.down(p.get(), recorded);
        if (!left.none()) {
            err().printf("lab %s: still present after teardown: namespaces %s, processes %s%n", p.get(),
                    left.namespaces(), left.processes());
            return 1;
        }
        run.forget(p.get());
        out().printf("lab %s down%n", p.get());
        return 0;
    }

    @Command(name = "status", mixinStandardHelpOptions = true,
            description = "Show the lab's namespaces, interfaces/addresses and processes.")
    Integer status(@Option(names = "--prefix", paramLabel = "P", description = "Which lab (default: the current one).") String prefix) {
        Optional<LabState> state = state(prefix);
        if (state.isEmpty()) {
            return 1;
        }
        LabStatus.Report report = LabStatus.of(state.get());
        out().print(report.text());
        return report.healthy() ? 0 : 1;
    }

    @Command(name = "probe", mixinStandardHelpOptions = true,
            description = "GET / every real server from dir1 and (DR) from the client via the router; non-zero if any fails.")
    Integer probe(@Option(names = "--prefix", paramLabel = "P", description = "Which lab (default: the current one).") String prefix,
                  @Option(names = "--timeout-ms", paramLabel = "MS", defaultValue = "3000", description = "Per request (default ${DEFAULT-VALUE}).") int timeoutMs) {
        Optional<LabState> state = state(prefix);
        if (state.isEmpty()) {
            return 1;
        }
        LabProbe.Report report = LabProbe.run(state.get().topology(), Duration.ofMillis(timeoutMs));
        out().print(report.format());
        return report.ok() ? 0 : 1;
    }

    private Optional<LabState> state(String prefix) {
        LabRunDirectory run = LabRunDirectory.standard();
        Optional<LabState> state = run.resolve(prefix).flatMap(run::load);
        if (state.isEmpty()) {
            err().println(prefix == null ? "no lab is up (see: lvsha lab up)" : "no lab " + prefix + " in " + run.dir());
        }
        return state;
    }

    private boolean privileged() {
        Optional<String> why = Privileges.netnsUnavailableReason();
        why.ifPresent(w -> err().println("cannot build a lab: " + w));
        return why.isEmpty();
    }

    private PrintWriter out() {
        return spec.commandLine().getOut();
    }

    private PrintWriter err() {
        return spec.commandLine().getErr();
    }
}
