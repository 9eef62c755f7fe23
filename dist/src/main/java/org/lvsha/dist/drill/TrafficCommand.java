package org.lvsha.dist.drill;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code lvsha drill traffic}: only the traffic, its log written to a file. This is the process a
 * lab drill starts in the client namespace ({@link NamespaceTraffic}): it writes {@code OUT.started}
 * with its clock's start once warmed up, ends early when {@code OUT.stop} appears, and writes
 * {@code OUT} (atomically) at the end.
 */
@Command(name = "traffic", mixinStandardHelpOptions = true,
        description = "Send the drill's client traffic and write the raw log to --out (used by lab drills; no report).")
public final class TrafficCommand implements Callable<Integer> {
    @Mixin
    TrafficOptions traffic;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "Where to write the traffic log.")
    Path out;

    public static Path startedFile(Path out) {
        return out.resolveSibling(out.getFileName() + ".started");
    }

    public static Path stopFile(Path out) {
        return out.resolveSibling(out.getFileName() + ".stop");
    }

    @Override
    public Integer call() throws Exception {
        TrafficPlan plan;
        try {
            plan = traffic.plan();
        } catch (IllegalArgumentException e) {
            System.err.println("drill traffic: " + e.getMessage());
            return 2;
        }
        Path stop = stopFile(out);
        Path started = startedFile(out);
        Files.deleteIfExists(stop);
        Files.deleteIfExists(started);
        TrafficLog log = new TrafficGenerator(plan, new TrafficLog(plan.httpTarget(), TrafficGenerator.logCapacity(plan)),
                () -> Files.exists(stop))
                .onStart(t -> {
                    try {
                        Files.writeString(started, t + "\n", StandardCharsets.US_ASCII);
                    } catch (java.io.IOException e) {
                        System.err.println("drill traffic: cannot write " + started + ": " + e.getMessage());
                    }
                })
                .run();
        log.writeTo(out);
        System.out.printf("drill traffic: %d attempts, %d long-lived events written to %s%n", log.attempts(), log.events(), out);
        return 0;
    }
}
