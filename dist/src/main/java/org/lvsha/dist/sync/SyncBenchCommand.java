package org.lvsha.dist.sync;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.lvsha.sync.bench.SyncBench;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code lvsha bench sync}: the connection-sync benchmark ({@link SyncBench}) from the distribution, so an operator
 * measures a host without a build tree. Prints events/s replicated, p50/p99 lag at a rate, the state-transfer time
 * of a large table, and bytes per replica entry.
 */
@Command(name = "sync", mixinStandardHelpOptions = true,
        description = "Connection-sync benchmark: events/s replicated, lag at a rate, state transfer, bytes per entry.")
public final class SyncBenchCommand implements Callable<Integer> {
    @Option(names = "--udp", description = "UDP multicast on the loopback interface instead of JGroups' shared loopback.")
    boolean udp;

    @Option(names = "--netns", description = "One JVM per member, each in a network namespace of its own (needs root).")
    boolean netns;

    @Option(names = "--events", description = "Events published for the throughput phase (default ${DEFAULT-VALUE}).")
    int events = 2_000_000;

    @Option(names = "--rate", description = "Events/s for the lag phase (default ${DEFAULT-VALUE}).")
    int rate = 100_000;

    @Option(names = "--seconds", description = "Length of the lag phase (default ${DEFAULT-VALUE}).")
    int seconds = 5;

    @Option(names = "--state", description = "Connections in the state transfer (default ${DEFAULT-VALUE}).")
    int state = 1_000_000;

    @Option(names = "--warmup", description = "Unmeasured events first, so the JIT has compiled the path (default ${DEFAULT-VALUE}).")
    int warmup = 0;

    @Override
    public Integer call() throws Exception {
        List<String> args = new ArrayList<>(List.of("--events", Integer.toString(events), "--rate", Integer.toString(rate),
                "--seconds", Integer.toString(seconds), "--state", Integer.toString(state), "--warmup", Integer.toString(warmup)));
        if (udp) {
            args.add("--udp");
        }
        if (netns) {
            args.add("--netns");
        }
        SyncBench.main(args.toArray(String[]::new));
        return 0;
    }
}
