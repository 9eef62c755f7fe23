package org.lvsha.core.ipvs.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.lvsha.core.ipvs.AddressText;
import org.lvsha.core.ipvs.ForwardingMethod;
import org.lvsha.core.ipvs.ServiceFlags;
import org.lvsha.core.ipvs.SyncState;
import org.lvsha.core.ipvs.TunnelType;
import org.lvsha.core.ipvs.admin.IpvsadmCommand.Kind;

/** ipvsadm's defaults and syntax (§2.5, ipvsadm.8). */
class IpvsadmParserTest {

    @Test
    void addServiceDefaultsToWlcHostNetmaskAndNoPersistence() {
        IpvsadmCommand c = IpvsadmParser.parse("-A", "-t", "192.0.2.10:80");
        assertThat(c.kind()).isEqualTo(Kind.ADD_SERVICE);
        assertThat(c.service().scheduler()).isEqualTo("wlc");
        assertThat(c.service().netmask()).isEqualTo(0xFFFFFFFF);
        assertThat(c.service().persistent()).isFalse();
    }

    @Test
    void bareDashPMeans360SecondsAsTheCodeSaysNot300AsTheManPageSays() {
        assertThat(IpvsadmParser.parse("-A", "-t", "192.0.2.10:80", "-p").service().persistenceTimeout()).isEqualTo(360);
        assertThat(IpvsadmParser.parse("-A", "-t", "192.0.2.10:80", "-p", "-s", "rr").service().persistenceTimeout()).isEqualTo(360);
        assertThat(IpvsadmParser.parse("-A", "-t", "192.0.2.10:80", "-p", "60").service().persistenceTimeout()).isEqualTo(60);
    }

    @Test
    void clusteredShortOptionsAsPoptAllows() {
        IpvsadmCommand c = IpvsadmParser.parse("-At", "192.0.2.10:80", "-srr");
        assertThat(c.kind()).isEqualTo(Kind.ADD_SERVICE);
        assertThat(c.service().scheduler()).isEqualTo("rr");
        IpvsadmCommand l = IpvsadmParser.parse("-Lnc");
        assertThat(l.format().connections()).isTrue();
        assertThat(l.format().numeric()).isTrue();
        assertThat(IpvsadmParser.parse("--list", "--numeric", "--stats").format().stats()).isTrue();
        assertThat(IpvsadmParser.parse("--add-service", "--tcp-service=192.0.2.10:80", "--scheduler=sh", "--sched-flags=sh-port")
                .service().schedulerFlags()).isEqualTo(ServiceFlags.SH_PORT);
    }

    @Test
    void addServerDefaultsToDirectRoutingWeightOneAndTheServicePort() {
        IpvsadmCommand c = IpvsadmParser.parse("-a", "-t", "192.0.2.10:80", "-r", "10.0.0.11");
        assertThat(c.destination().method()).isEqualTo(ForwardingMethod.ROUTE);
        assertThat(c.destination().weight()).isEqualTo(1);
        assertThat(c.destination().port()).isEqualTo(80);
        assertThatThrownBy(() -> IpvsadmParser.parse("-a", "-t", "192.0.2.10:80", "-r", "[2001:db8::98]", "-i"))
                .isInstanceOf(IpvsadmUsageException.class);
    }

    @Test
    void directRoutingAndTunnelForceTheServicePortButNatKeepsTheGivenOne() {
        assertThat(IpvsadmParser.parse("-a", "-t", "192.0.2.10:80", "-r", "10.0.0.11:8080", "-g").destination().port()).isEqualTo(80);
        assertThat(IpvsadmParser.parse("-a", "-t", "192.0.2.10:80", "-r", "10.0.0.11:8080", "-i").destination().port()).isEqualTo(80);
        assertThat(IpvsadmParser.parse("-a", "-t", "192.0.2.10:80", "-r", "10.0.0.11:8080", "-m").destination().port()).isEqualTo(8080);
        assertThat(IpvsadmParser.parse("-a", "-f", "5", "-r", "10.0.0.11:8080", "-g").destination().port()).isEqualTo(8080);
    }

    @Test
    void deleteServerKeepsTheGivenPortSoANatServerOnAnotherPortCanBeDeleted() {
        assertThat(IpvsadmParser.parse("-d", "-t", "192.0.2.10:80", "-r", "10.0.0.11:8080").destination().port()).isEqualTo(8080);
    }

    @Test
    void onePacketSchedulingOnlyForUdpAndMixedFamiliesOnlyForTunnels() {
        assertThatThrownBy(() -> IpvsadmParser.parse("-A", "-t", "192.0.2.10:80", "-o"))
                .hasMessage("One-Packet Scheduling is only for UDP virtual services");
        assertThat(IpvsadmParser.parse("-A", "-f", "1", "-o").service().onePacket()).isTrue();
        assertThatThrownBy(() -> IpvsadmParser.parse("-a", "-t", "192.0.2.10:80", "-r", "[2001:db8::1]:80", "-m"))
                .hasMessage("Different address family is allowed only for tunneling servers");
        assertThat(IpvsadmParser.parse("-a", "-t", "192.0.2.10:80", "-r", "[2001:db8::1]:80", "-i").destination().port()).isEqualTo(80);
    }

    @Test
    void editServerWithoutMethodRevertsToDirectRoutingLikeIpvsadm() {
        // §2.5: "-e … -w 0 on a NAT server without -m switches it to DR"; the parser reproduces it faithfully.
        assertThat(IpvsadmParser.parse("-e", "-t", "192.0.2.10:80", "-r", "10.0.0.11:80", "-w", "0").destination().method())
                .isEqualTo(ForwardingMethod.ROUTE);
    }

    @Test
    void tunnelOptions() {
        var d = IpvsadmParser.parse("-a", "-t", "192.0.2.10:80", "-r", "10.0.0.11", "-i", "--tun-type", "gue", "--tun-port", "5580", "--tun-remcsum").destination();
        assertThat(d.tunnel().type()).isEqualTo(TunnelType.GUE);
        assertThat(d.tunnel().port()).isEqualTo(5580);
        assertThatThrownBy(() -> IpvsadmParser.parse("-a", "-t", "192.0.2.10:80", "-r", "10.0.0.11", "-i", "--tun-type", "gue"))
                .isInstanceOf(IpvsadmUsageException.class);
        assertThatThrownBy(() -> IpvsadmParser.parse("-a", "-t", "192.0.2.10:80", "-r", "10.0.0.11", "-g", "--tun-type", "gre"))
                .isInstanceOf(IpvsadmUsageException.class);
    }

    @Test
    void daemonDefaultsToEth0AndKeepsOptionalPartsUnset() {
        IpvsadmCommand c = IpvsadmParser.parse("--start-daemon", "master", "--syncid", "1");
        assertThat(c.daemon().interfaceName()).isEqualTo("eth0");
        assertThat(c.daemon().state()).isEqualTo(SyncState.MASTER);
        assertThat(c.daemon().group()).isNull();
        IpvsadmCommand full = IpvsadmParser.parse("--start-daemon", "backup", "--mcast-interface", "eth1", "--syncid", "9",
                "--sync-maxlen", "1400", "--mcast-group", "239.1.1.1", "--mcast-port", "8850", "--mcast-ttl", "2");
        assertThat(full.daemon().group()).isEqualTo(AddressText.parse("239.1.1.1"));
        assertThat(full.daemon().maxLen()).isEqualTo(1400);
        assertThat(IpvsadmParser.parse("--stop-daemon", "backup").daemonState()).isEqualTo(SyncState.BACKUP);
    }

    @Test
    void setTakesThreeTimeouts() {
        var t = IpvsadmParser.parse("--set", "900", "0", "300").timeouts();
        assertThat(t.tcp()).isEqualTo(900);
        assertThat(t.tcpFin()).isZero();
        assertThatThrownBy(() -> IpvsadmParser.parse("--set", "900")).isInstanceOf(IpvsadmUsageException.class);
    }

    @Test
    void weightsUpToIntMaxAndUnbracketedIpv6ServersAsARealIpvsadmTakesThem() {
        // Both seen on Debian's ipvsadm 1:1.31-1 in the kernel-vm guest.
        assertThat(IpvsadmParser.parse("-a", "-t", "192.0.2.10:80", "-r", "198.51.100.1", "-w", "2147483647").destination().weight())
                .isEqualTo(Integer.MAX_VALUE);
        IpvsadmCommand c = IpvsadmParser.parse("-a", "-t", "192.0.2.10:80", "-r", "2001:db8::98", "-i");
        assertThat(c.destination().address()).isEqualTo(AddressText.parse("2001:db8::98"));
        assertThat(c.destination().port()).isEqualTo(80);
    }

    @Test
    void refusesWhatIpvsadmRefuses() {
        assertThatThrownBy(() -> IpvsadmParser.parse("-A", "-t", "192.0.2.10:0")).hasMessage("Zero port specified for non-persistent service");
        assertThatThrownBy(() -> IpvsadmParser.parse("-A", "-D", "-t", "192.0.2.10:80")).hasMessage("multiple commands specified");
        assertThatThrownBy(() -> IpvsadmParser.parse("-a", "-t", "192.0.2.10:80")).hasMessageContaining("real-server");
        assertThatThrownBy(() -> IpvsadmParser.parse("-a", "-t", "192.0.2.10:80", "-r", "198.51.100.1", "-w", "2147483648"))
                .hasMessage("illegal weight specified");
        assertThatThrownBy(() -> IpvsadmParser.parse("-a", "-t", "192.0.2.10:80", "-r", "198.51.100.1", "-w", "-1"))
                .hasMessage("illegal weight specified");
        assertThatThrownBy(() -> IpvsadmParser.parse("-A", "-t", "2001:db8::1:80")).isInstanceOf(IpvsadmUsageException.class);
        assertThatThrownBy(() -> IpvsadmParser.parse("-A", "-t", "192.0.2.10:80", "-s", "sh", "-b", "mh-port"))
                .isInstanceOf(IpvsadmUsageException.class);
        assertThatThrownBy(() -> IpvsadmParser.parse("-n")).hasMessage("no command specified");
        assertThatThrownBy(() -> IpvsadmParser.parse("--start-daemon", "master", "--mcast-interface", "an-interface-name-too-long"))
                .isInstanceOf(IpvsadmUsageException.class);
        assertThatThrownBy(() -> IpvsadmParser.parse("-Lnc", "--stats")).hasMessage("options conflicts in the list command");
        assertThatThrownBy(() -> IpvsadmParser.parse("-L", "--timeout", "--daemon")).isInstanceOf(IpvsadmUsageException.class);
    }

    @Test
    void ipv6NetmaskIsAPrefixAndIpv4ADottedMask() {
        assertThat(IpvsadmParser.parse("-A", "-t", "[2001:db8::1]:80", "-p", "-M", "48").service().netmask()).isEqualTo(48);
        assertThat(IpvsadmParser.parse("-A", "-t", "[2001:db8::1]:80").service().netmask()).isEqualTo(128);
        assertThat(IpvsadmParser.parse("-A", "-t", "192.0.2.1:80", "-p", "-M", "255.255.0.0").service().netmask()).isEqualTo(0xFFFF0000);
    }
}
