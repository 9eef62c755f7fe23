package org.lvsha.dist.daemon;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.lvsha.core.config.InvalidConfigException;
import org.lvsha.dist.admin.AdminServer;
import org.lvsha.dist.admin.DirectorMetrics;
import org.lvsha.dist.config.DaemonConfig;
import org.lvsha.dist.config.DaemonConfigLoader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import sun.misc.Signal;

/**
 * {@code lvsha run --config FILE}: the director daemon in the foreground (systemd {@code Type=notify}). SIGTERM and
 * SIGINT stop it gracefully; SIGHUP reloads the file (an invalid file is reported and the running configuration
 * stays). Exit status 2 for an invalid configuration, 1 when a part cannot start.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run the director daemon (VRRP, IPVS table, health checks, connection sync, admin endpoint) in the foreground.")
public final class RunCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(RunCommand.class);

    @Option(names = "--config", required = true, description = "the director's YAML file")
    Path config;

    @Option(names = "--check", description = "validate the file, print every problem, and exit")
    boolean check;

    @Option(names = "--run-dir", defaultValue = "/run/lvsha", description = "runtime files (parts-fault track file); default ${DEFAULT-VALUE}")
    Path runDir;

    @Option(names = "--status-file", description = "VRRP status JSON rewritten on each transition (as lvsha vrrp)")
    Path statusFile;

    @Option(names = "--events-socket", description = "unix socket serving the notify stream (VRRP transitions and health events, "
            + "JSON lines); default RUN-DIR/NODE/events.sock; 'none' for no socket")
    String eventsSocket;

    @Option(names = "--events-file", description = "also append the notify stream to this file")
    Path eventsFile;

    @Option(names = "--sync-timeout", defaultValue = "60", description = "seconds to wait for sync's state transfer before giving up; default ${DEFAULT-VALUE}")
    int syncTimeoutSeconds;

    @Override
    public Integer call() throws InterruptedException {
        DaemonConfig cfg;
        try {
            cfg = DaemonConfigLoader.load(config);
        } catch (InvalidConfigException e) {
            e.problems().forEach(p -> System.err.println(p));
            System.err.println("lvsha run: " + e.problems().size() + " problem(s); nothing started");
            return 2;
        }
        if (check) {
            System.out.println(config + ": valid");
            return 0;
        }
        SystemdNotifier systemd = SystemdNotifier.fromEnvironment();
        DirectorDaemon daemon;
        AdminServer admin;
        try {
            Path nodeDir = runDir.resolve(cfg.node());
            Path socket = "none".equals(eventsSocket) ? null : eventsSocket == null ? nodeDir.resolve("events.sock") : Path.of(eventsSocket);
            daemon = DirectorDaemon.start(cfg, new DirectorDaemon.Options(nodeDir, statusFile,
                    Duration.ofSeconds(syncTimeoutSeconds), socket, eventsFile));
        } catch (RuntimeException e) {
            LOG.error("cannot start: {}", e.getMessage(), e);
            System.err.println("lvsha run: cannot start: " + e.getMessage());
            return 1;
        }
        try {
            admin = AdminServer.start(daemon, new DirectorMetrics(daemon), cfg.admin().listen());
        } catch (RuntimeException e) {
            LOG.error("{}", e.getMessage());
            daemon.close();
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        ScheduledExecutorService background = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "lvsha-run");
            t.setDaemon(true);
            return t;
        });
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            systemd.send("STOPPING=1");
            LOG.info("stopping: priority 0 adverts, addresses removed, sync flushed");
            admin.close();
            daemon.close();
            background.shutdownNow();
            stopped.countDown();
        }, "lvsha-stop"));
        Signal.handle(new Signal("HUP"), s -> background.execute(() -> {
            LOG.info("SIGHUP: reloading {}", config);
            daemon.reload();
        }));
        // READY only now: VRRP runs and, with sync on, the state transfer is done (the unit orders dependants on it).
        systemd.send("READY=1\nSTATUS=director " + cfg.node() + " running");
        long watchdog = SystemdNotifier.watchdogMicros();
        if (watchdog > 0) {
            // Pinged only while the VRRP owner thread lives: a wedged node must be restarted, not kept looking alive.
            background.scheduleAtFixedRate(() -> {
                if (!daemon.vrrp().node().stopped()) {
                    systemd.send("WATCHDOG=1");
                }
            }, 0, Math.max(1000, watchdog / 2), TimeUnit.MICROSECONDS);
        }
        stopped.await();
        return 0;
    }
}
