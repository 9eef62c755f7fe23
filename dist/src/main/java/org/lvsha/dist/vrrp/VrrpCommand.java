package org.lvsha.dist.vrrp;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Callable;
import org.lvsha.vrrp.config.ConfigException;
import org.lvsha.vrrp.config.NodeConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code lvsha vrrp --config FILE}: a VRRP-only node in the foreground (lab, drills, interop tests).
 * SIGTERM / SIGINT stop it gracefully (priority-0 advert, addresses removed) through a shutdown hook.
 */
@Command(name = "vrrp", mixinStandardHelpOptions = true,
        description = "Run a VRRP-only node (VRRPv3/v2) in the foreground until SIGTERM.")
public final class VrrpCommand implements Callable<Integer> {
    @Option(names = "--config", description = "YAML file with 'instances' and 'sync-groups'")
    Path config;

    @Option(names = "--status-file", description = "rewritten with the node's status as JSON on each transition and every 200 ms")
    Path statusFile;

    @Option(names = "--events-file", description = "transitions appended as JSON lines")
    Path eventsFile;

    @Option(names = "--realtime-priority", defaultValue = "0",
            description = "SCHED_RR priority 1-99 for this process's threads (needs CAP_SYS_NICE), as keepalived's vrrp_rt_priority; 0 = off")
    int realtimePriority;

    @Option(names = "--quiet-events", description = "do not print transitions as JSON lines on stdout")
    boolean quietEvents;

    @Override
    public Integer call() throws InterruptedException {
        if (config == null) {
            System.err.println("lvsha vrrp: --config FILE is required");
            return 2;
        }
        NodeConfig cfg;
        try {
            cfg = VrrpConfigFile.load(config);
        } catch (ConfigException e) {
            e.problems().forEach(p -> System.err.println("lvsha vrrp: " + p));
            return 2;
        }
        VrrpRuntime runtime = VrrpRuntime.start(cfg, new VrrpRuntime.Options(statusFile, eventsFile, quietEvents ? null : System.out, realtimePriority));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            runtime.close();
            stopped.countDown();
        }, "vrrp-shutdown"));
        stopped.await();
        return 0;
    }
}
