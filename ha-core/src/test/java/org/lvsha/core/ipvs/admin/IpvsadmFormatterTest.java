package org.lvsha.core.ipvs.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.lvsha.core.ipvs.AddressText;
import org.lvsha.core.ipvs.ConnectionEntry;
import org.lvsha.core.ipvs.InMemoryIpvs;
import org.lvsha.core.ipvs.IpProtocol;
import org.lvsha.core.ipvs.Rates;
import org.lvsha.core.ipvs.ServiceKey;
import org.lvsha.core.ipvs.Stats;
import org.lvsha.core.ipvs.kernel.ProcConnectionTable;

/** Output byte-identical to the ipvsadm 1.31 texts of reference §3. */
class IpvsadmFormatterTest {

    private final InMemoryIpvs ipvs = new InMemoryIpvs();

    private String run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc = new Ipvsadm(ipvs, new ByteArrayInputStream(new byte[0]), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8)).run(args);
        assertThat(rc).as("exit status of %s, stderr %s", String.join(" ", args), err.toString(StandardCharsets.UTF_8)).isZero();
        return out.toString(StandardCharsets.UTF_8);
    }

    private static String lines(String... lines) {
        return String.join("\n", lines) + "\n";
    }

    private static ServiceKey tcp(String addr, int port) {
        return ServiceKey.of(IpProtocol.TCP, AddressText.parse(addr), port);
    }

    /** The table of §3.1 / §3.4, built through the CLI in the order the reference lists it. */
    private void buildReferenceTable() {
        run("-A", "-t", "192.0.2.10:80", "-s", "rr");
        run("-a", "-t", "192.0.2.10:80", "-r", "10.0.0.11:80", "-g", "-w", "1");
        run("-a", "-t", "192.0.2.10:80", "-r", "10.0.0.12:80", "-g", "-w", "1");
        run("-A", "-t", "192.0.2.10:443", "-s", "wlc", "-p", "360", "-M", "255.255.255.0");
        run("-a", "-t", "192.0.2.10:443", "-r", "10.0.0.11:443", "-m", "-w", "0");
        run("-A", "-f", "5", "-s", "sh", "-b", "sh-fallback,sh-port");
        run("-a", "-f", "5", "-r", "10.0.0.21:0", "-i", "-w", "100", "--tun-type", "ipip");
        run("-A", "-t", "[2001:db8::80]:80", "-s", "rr");
        run("-a", "-t", "[2001:db8::80]:80", "-r", "[2001:db8::a0a0]:80", "-m", "-w", "1");
        ipvs.updateCounters(tcp("192.0.2.10", 80), AddressText.parse("10.0.0.11"), 80, 12, 3, 0, Stats.ZERO, Rates.ZERO);
        ipvs.updateCounters(tcp("192.0.2.10", 80), AddressText.parse("10.0.0.12"), 80, 11, 4, 0, Stats.ZERO, Rates.ZERO);
        ipvs.updateCounters(tcp("192.0.2.10", 443), AddressText.parse("10.0.0.11"), 443, 0, 2, 0, Stats.ZERO, Rates.ZERO);
        ipvs.updateCounters(ServiceKey.fwmark(5, org.lvsha.core.ipvs.AddressFamily.INET), AddressText.parse("10.0.0.21"), 0, 1, 0, 0, Stats.ZERO, Rates.ZERO);
    }

    @Test
    void listNumericWithNosortIsTheReferenceTextVerbatim() {
        buildReferenceTable();
        assertThat(run("-L", "-n", "--nosort")).isEqualTo(lines(
                "IP Virtual Server version 1.2.1 (size=4096)",
                "Prot LocalAddress:Port Scheduler Flags",
                "  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn",
                "TCP  192.0.2.10:80 rr",
                "  -> 10.0.0.11:80                 Route   1      12         3         ",
                "  -> 10.0.0.12:80                 Route   1      11         4         ",
                "TCP  192.0.2.10:443 wlc persistent 360 mask 255.255.255.0",
                "  -> 10.0.0.11:443                Masq    0      0          2         ",
                "FWM  5 sh (sh-fallback,sh-port)",
                "  -> 10.0.0.21:0                  Tunnel  100    1          0         ",
                "TCP  [2001:db8::80]:80 rr",
                "  -> [2001:db8::a0a0]:80          Masq    1      0          0         "));
    }

    @Test
    void listSortsServicesAsLibipvsFwmarkThenFamilyThenProtocolAddressPort() {
        buildReferenceTable();
        // ipvs_cmp_services compares fwmark first: every non-fwmark service (0) sorts before FWM 5, and AF_INET (2)
        // before AF_INET6 (10). (The reference's rendered example lists FWM 5 before the IPv6 service; ipvsadm's
        // sort does not.)
        assertThat(run("-Ln")).isEqualTo(lines(
                "IP Virtual Server version 1.2.1 (size=4096)",
                "Prot LocalAddress:Port Scheduler Flags",
                "  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn",
                "TCP  192.0.2.10:80 rr",
                "  -> 10.0.0.11:80                 Route   1      12         3         ",
                "  -> 10.0.0.12:80                 Route   1      11         4         ",
                "TCP  192.0.2.10:443 wlc persistent 360 mask 255.255.255.0",
                "  -> 10.0.0.11:443                Masq    0      0          2         ",
                "TCP  [2001:db8::80]:80 rr",
                "  -> [2001:db8::a0a0]:80          Masq    1      0          0         ",
                "FWM  5 sh (sh-fallback,sh-port)",
                "  -> 10.0.0.21:0                  Tunnel  100    1          0         "));
    }

    @Test
    void listWithoutNumericPrintsNumericToo() {
        buildReferenceTable();
        assertThat(run("-L")).isEqualTo(run("-Ln"));
    }

    @Test
    void saveNumericIsTheReferenceRules() {
        buildReferenceTable();
        run("-D", "-t", "[2001:db8::80]:80");
        assertThat(run("-S", "-n")).isEqualTo(lines(
                "-A -t 192.0.2.10:80 -s rr",
                "-a -t 192.0.2.10:80 -r 10.0.0.11:80 -g -w 1",
                "-a -t 192.0.2.10:80 -r 10.0.0.12:80 -g -w 1",
                "-A -t 192.0.2.10:443 -s wlc -p 360 -M 255.255.255.0",
                "-a -t 192.0.2.10:443 -r 10.0.0.11:443 -m -w 0",
                "-A -f 5 -s sh -b sh-fallback,sh-port",
                "-a -f 5 -r 10.0.0.21:0 -i -w 100 --tun-type ipip"));
    }

    @Test
    void statsColumnsUseLargenumSuffixes() {
        run("-A", "-t", "192.0.2.10:80", "-s", "rr");
        run("-a", "-t", "192.0.2.10:80", "-r", "10.0.0.11:80", "-g");
        ipvs.updateCounters(tcp("192.0.2.10", 80), new Stats(113786, 19495479, 0, 2_110_123_456L, 0), Rates.ZERO);
        ipvs.updateCounters(tcp("192.0.2.10", 80), AddressText.parse("10.0.0.11"), 80, 0, 0, 0,
                new Stats(12883, 1679941, 0, 181_747_999L, 0), Rates.ZERO);
        assertThat(run("-Ln", "--stats")).isEqualTo(lines(
                "IP Virtual Server version 1.2.1 (size=4096)",
                "Prot LocalAddress:Port               Conns   InPkts  OutPkts  InBytes OutBytes",
                "  -> RemoteAddress:Port",
                "TCP  192.0.2.10:80                  113786 19495479        0    2110M        0",
                "  -> 10.0.0.11:80                    12883  1679941        0  181747K        0"));
    }

    @Test
    void exactPrintsWholeNumbersWidenedToFit() {
        run("-A", "-t", "192.0.2.10:80", "-s", "rr");
        ipvs.updateCounters(tcp("192.0.2.10", 80), new Stats(113786, 19495479, 0, 2_110_123_456L, 0), Rates.ZERO);
        assertThat(run("-Ln", "--stats", "--exact")).endsWith(
                "TCP  192.0.2.10:80                  113786 19495479        0 2110123456        0\n");
    }

    @Test
    void largenumThresholds() {
        ListFormat f = ListFormat.DEFAULT;
        StringBuilder sb = new StringBuilder();
        for (long v : new long[] {99_999_999L, 100_000_000L, 999_999_999L, 1_000_000_000L, 99_999_999_999L,
                100_000_000_000L, 99_999_999_999_999L, 100_000_000_000_000L}) {
            IpvsadmFormatter.largenum(sb, v, f);
            sb.append('|');
        }
        assertThat(sb).hasToString(" 99999999|  100000K|  999999K|    1000M|   99999M|     100G|   99999G|     100T|");
    }

    @Test
    void rateColumnsPrintDestinationPacketRatesPlain() {
        run("-A", "-t", "192.0.2.10:80", "-s", "rr");
        run("-a", "-t", "192.0.2.10:80", "-r", "10.0.0.11:80", "-g");
        ipvs.updateCounters(tcp("192.0.2.10", 80), Stats.ZERO, new Rates(5, 212, 0, 19345, 0));
        ipvs.updateCounters(tcp("192.0.2.10", 80), AddressText.parse("10.0.0.11"), 80, 0, 0, 0, Stats.ZERO,
                new Rates(3, 110, 0, 10012, 0));
        assertThat(run("-Ln", "--rate")).isEqualTo(lines(
                "IP Virtual Server version 1.2.1 (size=4096)",
                "Prot LocalAddress:Port                 CPS    InPPS   OutPPS    InBPS   OutBPS",
                "  -> RemoteAddress:Port",
                "TCP  192.0.2.10:80                       5      212        0    19345        0",
                "  -> 10.0.0.11:80                        3      110        0    10012        0"));
    }

    @Test
    void connectionListingFromProcLines() {
        List<ConnectionEntry> entries = ProcConnectionTable.parse(List.of(
                "Pro FromIP   FPrt ToIP     TPrt DestIP   DPrt State       Expires PEName PEData",
                "TCP C0000264 D431 C000020A 0050 0A00000B 0050 ESTABLISHED     897",
                "TCP C0A80114 D9C2 C0A8010A 0050 C0A8010F 0050 SYN_RECV         37"));
        ipvs.replaceConnections(entries);
        assertThat(run("-Lnc")).isEqualTo(lines(
                "IPVS connection entries",
                "pro expire state       source             virtual            destination",
                "TCP 14:57  ESTABLISHED 192.0.2.100:54321  192.0.2.10:80      10.0.0.11:80",
                "TCP 00:37  SYN_RECV    192.168.1.20:55746 192.168.1.10:80    192.168.1.15:80"));
    }

    @Test
    void connectionListingOfIpv6AndTemplates() {
        ipvs.replaceConnections(ProcConnectionTable.parse(List.of(
                "Pro FromIP   FPrt ToIP     TPrt DestIP   DPrt State       Expires PEName PEData",
                "TCP 2001:0db8:0000:0000:0000:0000:0000:0064 D431 2001:0db8:0000:0000:0000:0000:0000:0080 0050 2001:0db8:0000:0000:0000:0000:0000:a0a0 0050 ESTABLISHED     61",
                "IP  C0000200 0000 00000005 0000 0A000015 0000 NONE            356")));
        assertThat(ipvs.connections().get(1).template()).isTrue();
        assertThat(run("-Lnc")).isEqualTo(lines(
                "IPVS connection entries",
                "pro expire state       source             virtual            destination",
                "TCP 01:01  ESTABLISHED [2001:db8::64]:54321 [2001:db8::80]:80  [2001:db8::a0a0]:80",
                "IP  05:56  NONE        192.0.2.0:0        0.0.0.5:0          10.0.0.21:0"));
    }

    @Test
    void thresholdsAndPersistentConnAndTunInfoColumns() {
        run("-A", "-t", "192.0.2.10:80", "-s", "wlc");
        run("-a", "-t", "192.0.2.10:80", "-r", "10.0.0.11:80", "-g", "-w", "3", "-x", "100", "-y", "50");
        run("-a", "-t", "192.0.2.10:80", "-r", "10.0.0.12:80", "-i", "-w", "2", "--tun-type", "gue", "--tun-port", "5580", "--tun-remcsum");
        assertThat(run("-Ln", "--thresholds")).isEqualTo(lines(
                "IP Virtual Server version 1.2.1 (size=4096)",
                "Prot LocalAddress:Port            Uthreshold Lthreshold ActiveConn InActConn ",
                "  -> RemoteAddress:Port",
                "TCP  192.0.2.10:80 wlc",
                "  -> 10.0.0.11:80                 100        50         0          0         ",
                "  -> 10.0.0.12:80                 0          0          0          0         "));
        assertThat(run("-Ln", "--persistent-conn")).contains(
                "Prot LocalAddress:Port            Weight    PersistConn ActiveConn InActConn \n",
                "  -> 10.0.0.11:80                 3         0           0          0         \n");
        assertThat(run("-Ln", "--tun-info")).contains(
                "  -> RemoteAddress:Port           Forward TunnelInfo    Weight ActiveConn InActConn\n",
                "  -> 10.0.0.11:80                 Route   n/a           3      0          0         \n",
                "  -> 10.0.0.12:80                 Tunnel  gue:5580:r+c  2      0          0         \n");
        assertThat(run("-S", "-n")).contains("-a -t 192.0.2.10:80 -r 10.0.0.12:80 -i -w 2 --tun-type gue --tun-port 5580 --tun-remcsum\n");
    }

    @Test
    void singleServiceListingHasNoVersionLine() {
        buildReferenceTable();
        assertThat(run("-Ln", "-t", "192.0.2.10:443")).isEqualTo(lines(
                "Prot LocalAddress:Port Scheduler Flags",
                "  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn",
                "TCP  192.0.2.10:443 wlc persistent 360 mask 255.255.255.0",
                "  -> 10.0.0.11:443                Masq    0      0          2         "));
    }

    @Test
    void timeoutsAndDaemonsListings() {
        run("--set", "1000", "0", "200");
        assertThat(run("-L", "--timeout")).isEqualTo("Timeout (tcp tcpfin udp): 1000 120 200\n");
        run("--start-daemon", "master", "--mcast-interface", "eth0", "--syncid", "1");
        assertThat(run("-L", "--daemon"))
                .isEqualTo("master sync daemon (mcast=eth0, syncid=1, maxlen=1472, group=224.0.0.81, port=8848, ttl=1)\n");
    }

    @Test
    void onePacketAndIpv6PersistenceAndFwmarkIpv6() {
        run("-A", "-u", "[2001:db8::53]:53", "-s", "rr", "-p", "120", "-M", "64", "-o");
        run("-A", "-f", "7", "-6", "-s", "mh", "-b", "mh-port");
        assertThat(run("-Ln")).contains("UDP  [2001:db8::53]:53 rr persistent 120 mask 64 ops\n", "FWM  7 IPv6 mh (mh-port)\n");
        assertThat(run("-S", "-n")).contains("-A -u [2001:db8::53]:53 -s rr -p 120 -M 64 -o\n", "-A -f 7 -6 -s mh -b mh-port\n");
    }
}
