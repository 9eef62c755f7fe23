package org.lvsha.dist.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.lvsha.core.ipvs.Destination;
import org.lvsha.core.ipvs.DestinationStatus;
import org.lvsha.core.ipvs.ForwardingMethod;
import org.lvsha.core.ipvs.InMemoryIpvs;
import org.lvsha.core.ipvs.ServiceKey;
import org.lvsha.core.ipvs.VirtualService;
import org.lvsha.dist.config.DaemonConfig;
import org.lvsha.dist.config.DaemonConfigLoader;
import org.lvsha.health.sink.DesiredDestination;
import org.lvsha.health.sink.DesiredDestination.Reason;

class TableProgrammerTest {
    static DaemonConfig config(String services) {
        return DaemonConfigLoader.parse("t.yaml", """
                node: t
                vrrp:
                  instances:
                    - {name: vip, vrid: 51, interface: eth0, primary: 203.0.113.2, addresses: ["203.0.113.100/24"]}
                ipvs:
                  backend: memory
                  services:
                """ + services);
    }

    static final String WEB = """
                    - {protocol: tcp, address: 203.0.113.100, port: 80, scheduler: rr, method: nat,
                       real-servers: [{address: 192.0.2.11, weight: 3, upper-threshold: 10}, {address: 192.0.2.12, weight: 1}]}
            """;

    final InMemoryIpvs ipvs = new InMemoryIpvs();
    final TableProgrammer table = new TableProgrammer(ipvs);

    static ServiceKey web() {
        return ServiceKey.of(org.lvsha.core.ipvs.IpProtocol.TCP, addr("203.0.113.100"), 80);
    }

    static java.net.InetAddress addr(String s) {
        try {
            return java.net.InetAddress.getByName(s);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    List<Destination> destinations() {
        return ipvs.service(web()).orElseThrow().destinations().stream().map(DestinationStatus::destination).toList();
    }

    @Test
    void newRealServersStartAtWeightZeroUntilHealthSaysOtherwise() {
        table.program(config(WEB).ipvs().services());
        assertThat(destinations()).extracting(Destination::weight).containsOnly(0);
        assertThat(destinations()).extracting(Destination::method).containsOnly(ForwardingMethod.MASQ);
    }

    @Test
    void healthResultsBecomeCompleteEditsThatKeepMethodAndThresholds() {
        table.program(config(WEB).ipvs().services());
        table.apply(List.of(new DesiredDestination("tcp:203.0.113.100:80", "192.0.2.11:80", "192.0.2.11", 80, true, 3, Reason.HEALTHY)));
        Destination d = destinations().stream().filter(x -> x.address().equals(addr("192.0.2.11"))).findFirst().orElseThrow();
        assertThat(d.weight()).isEqualTo(3);
        assertThat(d.method()).isEqualTo(ForwardingMethod.MASQ);
        assertThat(d.upperThreshold()).isEqualTo(10);
        assertThat(table.desired()).containsKey("tcp:203.0.113.100:80/192.0.2.11:80");
    }

    @Test
    void anAbsentVerdictRemovesTheDestinationAndAPresentOneAddsItBack() {
        table.program(config(WEB).ipvs().services());
        table.apply(List.of(DesiredDestination.absent("tcp:203.0.113.100:80", "192.0.2.12:80", "192.0.2.12", 80, Reason.MAINTENANCE)));
        assertThat(destinations()).extracting(d -> d.address().getHostAddress()).containsExactly("192.0.2.11");
        table.apply(List.of(new DesiredDestination("tcp:203.0.113.100:80", "192.0.2.12:80", "192.0.2.12", 80, true, 1, Reason.SLOW_START)));
        assertThat(destinations()).hasSize(2);
    }

    @Test
    void reprogrammingRemovesWhatIsNoLongerConfiguredAndKeepsCurrentWeights() {
        ipvs.addService(VirtualService.of(ServiceKey.of(org.lvsha.core.ipvs.IpProtocol.UDP, addr("203.0.113.100"), 53), "rr"));
        table.program(config(WEB).ipvs().services());
        assertThat(ipvs.services()).hasSize(1); // the stale UDP service of an earlier run is gone
        table.apply(List.of(new DesiredDestination("tcp:203.0.113.100:80", "192.0.2.11:80", "192.0.2.11", 80, true, 3, Reason.HEALTHY)));
        table.program(config("""
                    - {protocol: tcp, address: 203.0.113.100, port: 80, scheduler: wrr, method: nat,
                       real-servers: [{address: 192.0.2.11, weight: 3, upper-threshold: 10}]}
            """).ipvs().services());
        assertThat(ipvs.service(web()).orElseThrow().service().scheduler()).isEqualTo("wrr");
        assertThat(destinations()).singleElement().satisfies(d -> assertThat(d.weight()).isEqualTo(3));
    }

    @Test
    void aResultForAServiceNoLongerConfiguredIsIgnored() {
        table.program(config(WEB).ipvs().services());
        table.apply(List.of(new DesiredDestination("tcp:203.0.113.100:443", "192.0.2.11:443", "192.0.2.11", 443, true, 3, Reason.HEALTHY)));
        assertThat(ipvs.services()).hasSize(1);
    }
}
