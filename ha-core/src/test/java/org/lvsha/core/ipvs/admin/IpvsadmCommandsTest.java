package org.lvsha.core.ipvs.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.lvsha.core.ipvs.AddressText;
import org.lvsha.core.ipvs.ForwardingMethod;
import org.lvsha.core.ipvs.InMemoryIpvs;
import org.lvsha.core.ipvs.IpProtocol;
import org.lvsha.core.ipvs.Rates;
import org.lvsha.core.ipvs.ServiceKey;
import org.lvsha.core.ipvs.Stats;

/** Each ipvsadm command reaches the port with ipvsadm's semantics; refusals go to stderr with exit status 1. */
class IpvsadmCommandsTest {

    private final InMemoryIpvs ipvs = new InMemoryIpvs();
    private static final ServiceKey VIP = ServiceKey.of(IpProtocol.TCP, AddressText.parse("192.0.2.10"), 80);

    private record Result(int rc, String out, String err) {
    }

    private Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc = new Ipvsadm(ipvs, new ByteArrayInputStream(new byte[0]), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8)).run(args);
        return new Result(rc, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void editServiceSendsTheWholeServiceSoAnOmittedSchedulerBecomesWlc() {
        run("-A", "-t", "192.0.2.10:80", "-s", "rr", "-p", "60");
        assertThat(run("-E", "-t", "192.0.2.10:80").rc()).isZero();
        var s = ipvs.service(VIP).orElseThrow().service();
        assertThat(s.scheduler()).isEqualTo("wlc");
        assertThat(s.persistent()).isFalse();
    }

    @Test
    void editServerSendsTheWholeDestination() {
        run("-A", "-t", "192.0.2.10:80");
        run("-a", "-t", "192.0.2.10:80", "-r", "10.0.0.11:8080", "-m", "-w", "5", "-x", "10");
        assertThat(run("-e", "-t", "192.0.2.10:80", "-r", "10.0.0.11:8080", "-m", "-w", "2").rc()).isZero();
        var d = ipvs.service(VIP).orElseThrow().destinations().get(0).destination();
        assertThat(d.weight()).isEqualTo(2);
        assertThat(d.method()).isEqualTo(ForwardingMethod.MASQ);
        assertThat(d.upperThreshold()).isZero();
    }

    @Test
    void deleteServerDeleteServiceZeroAndClear() {
        run("-A", "-t", "192.0.2.10:80");
        run("-A", "-u", "192.0.2.10:53");
        run("-a", "-t", "192.0.2.10:80", "-r", "10.0.0.11:8080", "-m");
        ipvs.updateCounters(VIP, new Stats(5, 5, 5, 5, 5), Rates.ZERO);
        assertThat(run("-Z", "-t", "192.0.2.10:80").rc()).isZero();
        assertThat(ipvs.service(VIP).orElseThrow().stats()).isEqualTo(Stats.ZERO);
        assertThat(run("-d", "-t", "192.0.2.10:80", "-r", "10.0.0.11:8080").rc()).isZero();
        assertThat(ipvs.service(VIP).orElseThrow().destinations()).isEmpty();
        assertThat(run("-D", "-t", "192.0.2.10:80").rc()).isZero();
        assertThat(ipvs.services()).hasSize(1);
        assertThat(run("-C").rc()).isZero();
        assertThat(ipvs.services()).isEmpty();
    }

    @Test
    void refusalsPrintIpvsadmsTextWithObjectAndErrnoAndExitOne() {
        Result r = run("-a", "-t", "192.0.2.10:80", "-r", "10.0.0.11");
        assertThat(r.rc()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("Service not defined: TCP 192.0.2.10:80 -> 10.0.0.11:80 (ESRCH)\n");
        assertThat(r.out()).isEmpty();
        Result s = run("-A", "-t", "192.0.2.10:80", "-s", "fastest");
        assertThat(s.err()).isEqualTo("Scheduler or persistence engine not found: TCP 192.0.2.10:80 scheduler fastest (ENOENT)\n");
        Result l = run("-L", "-n", "-t", "192.0.2.99:80");
        assertThat(l.rc()).isEqualTo(1);
        assertThat(l.err()).isEqualTo("No such service: TCP 192.0.2.99:80 (ESRCH)\n");
    }

    @Test
    void usageErrorsExitTwo() {
        Result r = run("-A", "-t", "nowhere:80");
        assertThat(r.rc()).isEqualTo(2);
        assertThat(r.err()).startsWith("illegal virtual server address[:port] specified\n");
        assertThat(run("-h").out()).contains("--start-daemon");
    }

    @Test
    void daemonsStartListAndStop() {
        assertThat(run("--start-daemon", "backup", "--mcast-interface", "eth1", "--syncid", "3", "--mcast-group", "239.1.2.3",
                "--mcast-port", "9000", "--mcast-ttl", "2", "--sync-maxlen", "1400").rc()).isZero();
        assertThat(run("--list-daemon").out())
                .isEqualTo("backup sync daemon (mcast=eth1, syncid=3, maxlen=1400, group=239.1.2.3, port=9000, ttl=2)\n");
        assertThat(run("--stop-daemon", "backup").rc()).isZero();
        assertThat(run("-L", "--daemon").out()).isEmpty();
        assertThat(run("--stop-daemon", "backup").err()).isEqualTo("No daemon is running: backup sync daemon (ESRCH)\n");
    }
}
