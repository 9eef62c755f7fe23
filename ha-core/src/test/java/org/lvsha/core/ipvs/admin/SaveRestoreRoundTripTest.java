package org.lvsha.core.ipvs.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.lvsha.core.ipvs.DestinationStatus;
import org.lvsha.core.ipvs.InMemoryIpvs;
import org.lvsha.core.ipvs.Ipvs;
import org.lvsha.core.ipvs.ServiceStatus;

/** {@code -S} output fed to {@code -R} rebuilds the same table (§3.4), on the in-memory adapter. */
class SaveRestoreRoundTripTest {

    private record Result(int rc, String out, String err) {
    }

    private static Result run(Ipvs ipvs, String stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc = new Ipvsadm(ipvs, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8)).run(args);
        return new Result(rc, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static void ok(Ipvs ipvs, String... args) {
        Result r = run(ipvs, "", args);
        assertThat(r.rc()).as(r.err()).isZero();
    }

    private static InMemoryIpvs mixedTable() {
        InMemoryIpvs ipvs = new InMemoryIpvs();
        ok(ipvs, "-A", "-t", "192.0.2.10:80", "-s", "wrr");
        ok(ipvs, "-a", "-t", "192.0.2.10:80", "-r", "10.0.0.11:80", "-g", "-w", "3", "-x", "200", "-y", "100");
        ok(ipvs, "-a", "-t", "192.0.2.10:80", "-r", "10.0.0.12:8080", "-m", "-w", "2", "-x", "50");
        ok(ipvs, "-a", "-t", "192.0.2.10:80", "-r", "10.0.0.13", "-i", "-w", "1", "--tun-type", "gre", "--tun-csum");
        ok(ipvs, "-A", "-t", "192.0.2.10:443", "-s", "sh", "-b", "sh-fallback", "-p", "600", "-M", "255.255.255.0");
        ok(ipvs, "-a", "-t", "192.0.2.10:443", "-r", "10.0.0.11", "-g", "-w", "5");
        ok(ipvs, "-a", "-t", "192.0.2.10:443", "-r", "10.0.0.12", "-i", "-w", "5", "--tun-type", "gue", "--tun-port", "6080", "--tun-csum");
        ok(ipvs, "-A", "-u", "192.0.2.53:53", "-s", "lc", "-o");
        ok(ipvs, "-a", "-u", "192.0.2.53:53", "-r", "10.0.0.31:5353", "-m", "-w", "0");
        ok(ipvs, "-A", "-f", "42", "-s", "mh", "-b", "mh-fallback,mh-port", "-p");
        ok(ipvs, "-a", "-f", "42", "-r", "10.0.0.41", "-g", "-w", "10");
        ok(ipvs, "-a", "-f", "42", "-r", "10.0.0.42:0", "-m", "-w", "20");
        ok(ipvs, "-A", "-t", "[2001:db8::80]:443", "-s", "rr", "-p", "300", "-M", "64");
        ok(ipvs, "-a", "-t", "[2001:db8::80]:443", "-r", "[2001:db8::a1]:443", "-m", "-w", "1", "-x", "10", "-y", "5");
        ok(ipvs, "-a", "-t", "[2001:db8::80]:443", "-r", "2001:db8::a2", "-g");
        ok(ipvs, "-A", "--sctp-service", "192.0.2.10:3868", "-s", "twos");
        ok(ipvs, "-A", "-f", "7", "-6", "-s", "fo");
        return ipvs;
    }

    @Test
    void saveThenRestoreIntoAnEmptyTableGivesTheSameRulesAndListing() {
        InMemoryIpvs original = mixedTable();
        Result saved = run(original, "", "-S", "-n");
        assertThat(saved.rc()).isZero();
        assertThat(saved.out().lines().filter(l -> l.startsWith("-A "))).hasSize(7);

        InMemoryIpvs restored = new InMemoryIpvs();
        Result r = run(restored, saved.out(), "-R");
        assertThat(r.rc()).as(r.err()).isZero();

        assertThat(run(restored, "", "-S", "-n").out()).isEqualTo(saved.out());
        // ipvsadm does not save thresholds (§3.4): everything else of the listing survives.
        assertThat(withoutThresholds(restored)).isEqualTo(withoutThresholds(original));
        assertThat(run(restored, "", "-Ln").out()).isEqualTo(run(original, "", "-Ln").out());
    }

    @Test
    void marksFromTwoToThe31PrintNegativeAsReleasedIpvsadmPrintsThemAndStillRestore() {
        // Debian's ipvsadm 1:1.31-1 on a 6.1 kernel: "-A -f 4294967295" lists as "FWM  -1" and saves as "-A -f -1",
        // which that ipvsadm then refuses on -R ("invalid fwmark value `-1' specified"); lvsha reads it back.
        InMemoryIpvs ipvs = new InMemoryIpvs();
        ok(ipvs, "-A", "-f", "4294967295", "-s", "rr");
        ok(ipvs, "-A", "-f", "2147483648", "-s", "rr");
        String saved = run(ipvs, "", "-S", "-n").out();
        assertThat(saved).isEqualTo("-A -f -2147483648 -s rr\n-A -f -1 -s rr\n");
        assertThat(run(ipvs, "", "-Ln").out()).contains("FWM  -1 rr\n");
        InMemoryIpvs restored = new InMemoryIpvs();
        assertThat(run(restored, saved, "-R").rc()).isZero();
        assertThat(run(restored, "", "-S", "-n").out()).isEqualTo(saved);
        assertThat(run(restored, "", "-A", "-f", "-2147483649", "-s", "rr").rc()).isEqualTo(2);
        assertThat(run(restored, "", "-A", "-f", "0", "-s", "rr").rc()).isEqualTo(2);
    }

    @Test
    void restoreDoesNotCarryThresholdsBecauseSaveDoesNotWriteThem() {
        InMemoryIpvs restored = new InMemoryIpvs();
        run(restored, run(mixedTable(), "", "-S", "-n").out(), "-R");
        assertThat(restored.services()).flatMap(ServiceStatus::destinations)
                .allSatisfy(d -> assertThat(d.destination().upperThreshold()).isZero());
    }

    @Test
    void savedRulesCarryMethodsPersistenceAndNetmasks() {
        String s = run(mixedTable(), "", "-S", "-n").out();
        assertThat(s).contains(
                "-A -t 192.0.2.10:443 -s sh -p 600 -M 255.255.255.0 -b sh-fallback\n",
                "-a -t 192.0.2.10:80 -r 10.0.0.12:8080 -m -w 2\n",
                "-a -t 192.0.2.10:80 -r 10.0.0.13:80 -i -w 1 --tun-type gre --tun-csum\n",
                "-a -t 192.0.2.10:443 -r 10.0.0.12:443 -i -w 5 --tun-type gue --tun-port 6080 --tun-csum\n",
                "-A -u 192.0.2.53:53 -s lc -o\n",
                "-A -f 42 -s mh -p 360 -b mh-fallback,mh-port\n",
                "-a -f 42 -r 10.0.0.41:0 -g -w 10\n",
                "-A -t [2001:db8::80]:443 -s rr -p 300 -M 64\n",
                "-a -t [2001:db8::80]:443 -r [2001:db8::a2]:443 -g -w 1\n",
                "-A --sctp-service 192.0.2.10:3868 -s twos\n",
                "-A -f 7 -6 -s fo\n");
    }

    @Test
    void aRestoreWithAMalformedLineChangesNothing() {
        InMemoryIpvs ipvs = new InMemoryIpvs();
        Result r = run(ipvs, "-A -t 192.0.2.10:80 -s rr\n-a -t 192.0.2.10:80 -r not-an-address\n", "-R");
        assertThat(r.rc()).isEqualTo(2);
        assertThat(r.err()).contains("line 2");
        assertThat(ipvs.services()).isEmpty();
    }

    @Test
    void aRestoreStopsAtTheFirstRefusedLineAndNamesIt() {
        InMemoryIpvs ipvs = new InMemoryIpvs();
        Result r = run(ipvs, "-A -t 192.0.2.10:80 -s rr\n-A -t 192.0.2.10:80 -s rr\n", "-R");
        assertThat(r.rc()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("line 2: Service already exists: TCP 192.0.2.10:80 (EEXIST)\n");
    }

    /** Every service and destination, thresholds zeroed, in a canonical order (the adapters keep insertion order). */
    private static java.util.List<String> withoutThresholds(Ipvs ipvs) {
        java.util.List<String> out = new java.util.ArrayList<>();
        for (ServiceStatus s : ipvs.services()) {
            out.add(s.service().toString());
            for (DestinationStatus d : s.destinations()) {
                out.add(s.service().key() + " " + d.destination().withThresholds(0, 0));
            }
        }
        java.util.Collections.sort(out);
        return out;
    }
}
