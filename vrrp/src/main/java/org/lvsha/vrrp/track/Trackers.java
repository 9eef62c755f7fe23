package org.lvsha.vrrp.track;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.lvsha.vrrp.CommandRunner;
import org.lvsha.vrrp.config.InstanceConfig;
import org.lvsha.vrrp.config.TrackConfig;

/**
 * The thin I/O side of tracking: runs scripts, reads files and link states on an injected executor and
 * posts {@link TrackSample}s to a sink (the node). Policy lives in {@link TrackPolicy}.
 */
public final class Trackers implements AutoCloseable {
    /** Link state source; the default reads {@code /sys/class/net/IF/operstate} (rtnetlink events come with the platform layer). */
    public static final Predicate<String> SYSFS_LINK = ifname -> {
        try {
            String s = Files.readString(Path.of("/sys/class/net", ifname, "operstate"), StandardCharsets.US_ASCII).trim();
            return s.equals("up") || s.equals("unknown"); // loopback and some virtual links report "unknown"
        } catch (IOException e) {
            return false;
        }
    };

    private final ScheduledExecutorService executor;
    private final CommandRunner runner;
    private final Predicate<String> linkUp;
    private final Duration linkPollInterval;
    private final List<ScheduledFuture<?>> tasks = new ArrayList<>();

    public Trackers(ScheduledExecutorService executor, CommandRunner runner, Predicate<String> linkUp, Duration linkPollInterval) {
        this.executor = executor;
        this.runner = runner;
        this.linkUp = linkUp;
        this.linkPollInterval = linkPollInterval;
    }

    public void start(InstanceConfig instance, Consumer<TrackSample> sink) {
        for (int i = 0; i < instance.tracks().size(); i++) {
            int index = i;
            TrackConfig t = instance.tracks().get(i);
            Runnable probe;
            Duration every;
            if (t instanceof TrackConfig.Script s) {
                probe = () -> sink.accept(TrackSample.of(instance.name(), index, runner.run(s.command(), s.timeout()) == 0));
                every = s.interval();
            } else if (t instanceof TrackConfig.File f) {
                probe = () -> sink.accept(TrackSample.file(instance.name(), index, readNumber(f.path())));
                every = f.interval();
            } else {
                TrackConfig.Interface itf = (TrackConfig.Interface) t;
                probe = () -> sink.accept(TrackSample.of(instance.name(), index, linkUp.test(itf.interfaceName())));
                every = linkPollInterval;
            }
            Runnable safe = () -> {
                try {
                    probe.run();
                } catch (RuntimeException e) {
                    // A probe that throws is a failed probe, never a dead tracker.
                    sink.accept(TrackSample.of(instance.name(), index, false));
                }
            };
            tasks.add(executor.scheduleWithFixedDelay(safe, 0, every.toNanos(), TimeUnit.NANOSECONDS));
        }
    }

    /** The integer a tracked file holds (surrounding whitespace allowed), or empty if missing or not a number. */
    public static OptionalLong readNumber(Path p) {
        try {
            return OptionalLong.of(Long.parseLong(Files.readString(p, StandardCharsets.US_ASCII).trim()));
        } catch (IOException | NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    @Override
    public void close() {
        tasks.forEach(f -> f.cancel(true));
        tasks.clear();
    }
}
