package org.lvsha.vrrp.track;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lvsha.core.net.VirtualAddress;
import org.lvsha.vrrp.CommandRunner;
import org.lvsha.vrrp.ProcessCommandRunner;
import org.lvsha.vrrp.config.InstanceConfig;
import org.lvsha.vrrp.config.TrackConfig;

class TrackersTest {
    @Test
    void probesRunOnTheExecutorAndPostSamples(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("weight");
        Files.writeString(file, "7");
        List<TrackConfig> tracks = List.of(
                new TrackConfig.Script("chk", List.of("check"), Duration.ofMillis(10), Duration.ofSeconds(1), 1, 1, -10),
                new TrackConfig.File(file, Duration.ofMillis(10), 1),
                new TrackConfig.Interface("eth1", 0));
        InstanceConfig i = InstanceConfig.v3("vip", 51, "eth0", InetAddress.getByName("203.0.113.2"), 100,
                List.of(new VirtualAddress("eth0", InetAddress.getByName("203.0.113.100"), 24, null))).withTracks(tracks);
        CommandRunner runner = (cmd, timeout) -> cmd.equals(List.of("check")) ? 1 : 0;
        ScheduledExecutorService ex = Executors.newSingleThreadScheduledExecutor();
        BlockingQueue<TrackSample> samples = new LinkedBlockingQueue<>();
        try (Trackers t = new Trackers(ex, runner, ifname -> { throw new IllegalStateException("netlink gone"); }, Duration.ofMillis(10))) {
            t.start(i, samples::add);
            boolean script = false;
            boolean fileSeen = false;
            boolean link = false;
            while (!(script && fileSeen && link)) {
                TrackSample s = samples.poll(5, TimeUnit.SECONDS);
                assertThat(s).as("sample within 5 s").isNotNull();
                switch (s.index()) {
                    case 0 -> {
                        assertThat(s.ok()).isFalse(); // exit 1
                        script = true;
                    }
                    case 1 -> {
                        assertThat(s.value()).hasValue(7);
                        fileSeen = true;
                    }
                    default -> {
                        assertThat(s.ok()).isFalse(); // a probe that throws is a failure, not a dead tracker
                        link = true;
                    }
                }
            }
        } finally {
            ex.shutdownNow();
        }
    }

    @Test
    void processRunnerReportsExitCodesAndKillsOnTimeout() {
        ProcessCommandRunner r = new ProcessCommandRunner();
        assertThat(r.run(List.of("true"), Duration.ofSeconds(5))).isZero();
        assertThat(r.run(List.of("sh", "-c", "exit 3"), Duration.ofSeconds(5))).isEqualTo(3);
        long t = System.nanoTime();
        assertThat(r.run(List.of("sleep", "30"), Duration.ofMillis(200))).isEqualTo(CommandRunner.TIMED_OUT);
        assertThat(System.nanoTime() - t).isLessThan(TimeUnit.SECONDS.toNanos(10));
        assertThat(r.run(List.of("/nonexistent/lvsha-test"), Duration.ofSeconds(1))).isEqualTo(CommandRunner.NOT_STARTED);
    }
}
