package org.lvsha.dist.drill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.lvsha.dist.Lvsha;
import org.lvsha.dist.realserver.RealServer;
import picocli.CommandLine;

class DrillCommandTest {
    @TempDir
    Path dir;

    private record Run(int exit, String out, String err) {
    }

    private static Run lvsha(String... args) {
        CommandLine cli = new CommandLine(new Lvsha());
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int exit = cli.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    @ParameterizedTest
    @CsvSource({"30s, 30000", "500ms, 500", "1.5s, 1500", "2m, 120000", "3, 3000", "0.25, 250"})
    void durationsReadAsOperatorsWriteThem(String text, long millis) {
        assertThat(DurationConverter.parse(text)).isEqualTo(Duration.ofMillis(millis));
        assertThat(DurationConverter.parse(DurationConverter.format(Duration.ofMillis(millis)))).isEqualTo(Duration.ofMillis(millis));
    }

    @Test
    void targetsAreHostPortWithIpv6InBrackets() {
        assertThat(TrafficOptions.HostPort.parse("203.0.113.100:80")).isEqualTo(new TrafficOptions.HostPort("203.0.113.100", 80));
        assertThat(TrafficOptions.HostPort.parse("[2001:db8:0:1::100]:8080"))
                .isEqualTo(new TrafficOptions.HostPort("2001:db8:0:1::100", 8080));
        assertThatThrownBy(() -> TrafficOptions.HostPort.parse("2001:db8::1")).hasMessageContaining("[ADDR]:PORT");
        assertThatThrownBy(() -> TrafficOptions.HostPort.parse("vip:http")).hasMessageContaining("not a number");
    }

    @Test
    void aPlanSurvivesTheTripThroughTheTrafficProcessCommandLine() {
        TrafficPlan p = new TrafficPlan("2001:db8:0:1::100", 80, 9001, 150, Duration.ofMillis(12_500), 999, Duration.ofMillis(750),
                2, Duration.ofMillis(20), 7, Duration.ofMillis(50), Duration.ofMillis(600));
        TrafficCommand cmd = new TrafficCommand();
        new CommandLine(cmd).parseArgs(Stream.concat(Stream.of("--out=x"), TrafficOptions.args(p).stream()).toArray(String[]::new));
        assertThat(cmd.traffic.plan()).isEqualTo(p);
    }

    @Test
    void badOptionsAreUsageErrorsNotStackTraces() {
        Run noTarget = lvsha("drill", "--duration", "1s");
        assertThat(noTarget.exit()).isEqualTo(2);
        assertThat(noTarget.err()).contains("--target VIP:PORT is required");
        Run badRate = lvsha("drill", "--target", "127.0.0.1:80", "--rate", "0");
        assertThat(badRate.exit()).isEqualTo(2);
        assertThat(badRate.err()).contains("rate must be 1..");
        Run badDuration = lvsha("drill", "--target", "127.0.0.1:80", "--duration", "soon");
        assertThat(badDuration.err()).contains("'soon' is not a duration");
    }

    @Test
    void labDrillOptionsAreCheckedBeforeAnyLabIsBuilt() {
        Run target = lvsha("drill", "--lab", "--target", "127.0.0.1:80");
        assertThat(target.exit()).isEqualTo(2);
        assertThat(target.err()).contains("--lab targets the lab's VIP");
        Run scenario = lvsha("drill", "--lab", "--scenario", "switchover,meteor");
        assertThat(scenario.exit()).isEqualTo(2);
        assertThat(scenario.err()).contains("unknown scenario 'meteor'").contains("partition");
        Run layout = lvsha("drill", "--lab", "--layout", "tun");
        assertThat(layout.exit()).isEqualTo(2);
        assertThat(layout.err()).contains("--layout must be dr or nat");
        Run advert = lvsha("drill", "--lab", "--advert-interval", "15ms");
        assertThat(advert.exit()).isEqualTo(2);
        assertThat(advert.err()).contains("multiple of 10 ms");
    }

    @Test
    void clientOnlyDrillAgainstALoopbackServerPrintsTheTableAndWritesBothReports() throws Exception {
        try (RealServer rs = RealServer.start("rs9", List.of(InetAddress.getLoopbackAddress()), 0, 0)) {
            int echo = rs.boundAddresses().get(0).getPort();
            int http = rs.boundAddresses().get(1).getPort();
            Run r = lvsha("drill", "--target", "127.0.0.1:" + http, "--stream-port", Integer.toString(echo),
                    "--rate", "50", "--duration", "800ms", "--long-lived", "2", "--timeout", "3s", "--stall-threshold", "2s",
                    "--label", "loopback", "--report-dir", dir.toString(), "--max-failed", "0");
            assertThat(r.exit()).as(r.out() + r.err()).isZero();
            assertThat(r.out()).contains("scenario").contains("loopback").contains("PASS").contains("answered by: rs9 ")
                    .contains("2 survived, 0 broken");
            try (Stream<Path> files = Files.list(dir)) {
                assertThat(files.map(p -> p.getFileName().toString()))
                        .anyMatch(n -> n.matches("drill-loopback-\\d{8}T\\d{6}Z\\.html"))
                        .anyMatch(n -> n.matches("drill-loopback-\\d{8}T\\d{6}Z\\.txt"))
                        .anyMatch(n -> n.matches("drill-loopback-\\d{8}T\\d{6}Z\\.json"));
            }
        }
    }
}
