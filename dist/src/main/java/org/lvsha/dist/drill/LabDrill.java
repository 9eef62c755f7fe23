package org.lvsha.dist.drill;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.lvsha.core.lab.NetnsLab;
import org.lvsha.dist.lab.AddressPlan;
import org.lvsha.dist.lab.Lab;
import org.lvsha.dist.lab.LabTeardown;
import org.lvsha.dist.lab.LvshaJvm;
import org.lvsha.dist.lab.RunningLab;

/**
 * {@code lvsha drill --lab}: a lab of its own (client, two directors, two real servers), the {@link LabDirectorPair}
 * on it, the chosen {@link LabScenarios} one after the other with {@link NamespaceTraffic} from the client through
 * the VIP, then everything torn down (also on Ctrl-C: a shutdown hook takes the lab down by its prefix).
 */
public final class LabDrill {
    /** The settings of one lab drill. {@code logDir}: the lab's process logs and the pair's files, kept after the run. */
    public record Settings(Lab lab, PairConfig pair, String scenarios, TrafficPlan traffic, DrillRun.Timing timing,
                           String prefix, Path logDir) {
    }

    private LabDrill() {
    }

    /** The traffic of a lab drill: the VIP's web service and its stream port, from the given options' rate and sizes. */
    public static TrafficPlan vipTraffic(TrafficPlan options) {
        return new TrafficPlan(AddressPlan.VIP4, AddressPlan.HTTP_PORT, AddressPlan.STREAM_PORT, options.rate(),
                options.duration(), options.maxRequests(), options.requestTimeout(), options.retries(), options.retryDelay(),
                options.longLived(), options.lineInterval(), options.stallThreshold());
    }

    public static DrillSuite.Outcome run(Settings s, PrintWriter progress) throws InterruptedException {
        String prefix = s.prefix() != null ? s.prefix() : NetnsLab.uniquePrefix("dr");
        DrillContext say = new DrillContext(new Timeline(), progress);
        AtomicBoolean done = new AtomicBoolean();
        Thread hook = new Thread(() -> {
            if (done.compareAndSet(false, true)) {
                LabTeardown.down(prefix, List.of());
            }
        }, "drill-lab-teardown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            Files.createDirectories(s.logDir());
            say.say("lab %s: %s layout, %d real servers (logs in %s)", prefix, s.lab().layout().name().toLowerCase(),
                    s.lab().realServers(), s.logDir());
            try (RunningLab lab = RunningLab.start(s.lab(), prefix, s.logDir(), false, LvshaJvm.current(), RunningLab.DEFAULT_READY_TIMEOUT);
                 LabDirectorPair pair = LabDirectorPair.start(lab, s.pair(), say)) {
                List<Scenario> scenarios = LabScenarios.parse(s.scenarios(), pair, s.traffic().rate());
                TrafficPlan plan = DrillRun.scriptedPlan(s.traffic(), s.timing(), LabDirectorPair.SETTLE.plusSeconds(30));
                return DrillSuite.run(scenarios, sc -> new DrillRun(sc, NamespaceTraffic.fromClient(lab, sc.name()), plan,
                        s.timing(), progress), progress);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + s.logDir(), e);
        } finally {
            done.set(true);
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs (or ran) the teardown
            }
        }
    }

    /** Lead-in 3 s, hold 3 s, tail 2 s (the standard timing), or shorter for a demo. */
    public static DrillRun.Timing timing(boolean quick) {
        return quick ? new DrillRun.Timing(Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ofSeconds(1))
                : DrillRun.Timing.standard();
    }
}
