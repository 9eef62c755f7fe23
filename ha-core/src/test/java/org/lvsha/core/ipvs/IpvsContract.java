package org.lvsha.core.ipvs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link Ipvs} adapter must do, written so it also holds against a real kernel (no assumption about
 * listing order, counters or interface names beyond {@link #syncInterface()}). The in-memory adapter runs it
 * here; the kernel-VM interop suite runs it against {@code KernelIpvs} over the platform's genl socket by
 * subclassing and supplying {@link #newIpvs()}.
 */
public abstract class IpvsContract {

    protected static final ServiceKey WEB = ServiceKey.of(IpProtocol.TCP, AddressText.parse("192.0.2.10"), 80);
    protected static final ServiceKey DNS6 = ServiceKey.of(IpProtocol.UDP, AddressText.parse("2001:db8::53"), 53);
    protected static final ServiceKey MARK = ServiceKey.fwmark(42, AddressFamily.INET);

    protected Ipvs ipvs;

    /** A fresh adapter over an empty table. */
    protected abstract Ipvs newIpvs();

    /** An interface the sync daemon may bind to. */
    protected String syncInterface() {
        return "lo";
    }

    @BeforeEach
    void setUp() {
        ipvs = newIpvs();
        ipvs.flush();
    }

    @AfterEach
    void tearDown() {
        ipvs.flush();
        for (SyncDaemon d : ipvs.daemons()) {
            ipvs.stopDaemon(d.state());
        }
        ipvs.setTimeouts(Timeouts.DEFAULTS);
    }

    private static int errno(Runnable r) {
        try {
            r.run();
        } catch (IpvsException e) {
            return e.errno();
        }
        throw new AssertionError("expected an IpvsException");
    }

    @Test
    void servicesAndDestinationsRoundTripCompletely() {
        VirtualService web = VirtualService.of(WEB, "wlc").withPersistence(600, 0xFFFFFF00);
        VirtualService dns = new VirtualService(DNS6, "sh", ServiceFlags.SH_FALLBACK | ServiceFlags.SH_PORT, 0, 128, true, "");
        VirtualService mark = VirtualService.of(MARK, "mh").withScheduler("mh", ServiceFlags.MH_PORT);
        ipvs.addService(web);
        ipvs.addService(dns);
        ipvs.addService(mark);
        Destination nat = new Destination(AddressText.parse("198.51.100.11"), 8080, ForwardingMethod.MASQ, 3, 100, 50, Tunnel.IPIP);
        Destination dr = Destination.of(AddressText.parse("198.51.100.12"), 80, ForwardingMethod.ROUTE, 1);
        Destination gue = new Destination(AddressText.parse("198.51.100.13"), 0, ForwardingMethod.TUNNEL, 7, 0, 0,
                new Tunnel(TunnelType.GUE, 6080, TunnelChecksum.CSUM));
        Destination dr6 = Destination.of(AddressText.parse("2001:db8::a1"), 53, ForwardingMethod.ROUTE, 2);
        ipvs.addDestination(WEB, nat);
        ipvs.addDestination(WEB, dr);
        ipvs.addDestination(MARK, gue);
        ipvs.addDestination(DNS6, dr6);

        assertThat(ipvs.services()).extracting(ServiceStatus::service).containsExactlyInAnyOrder(web, dns, mark);
        assertThat(ipvs.service(WEB).orElseThrow().destinations()).extracting(DestinationStatus::destination)
                .containsExactlyInAnyOrder(nat, dr);
        assertThat(ipvs.service(MARK).orElseThrow().destinations()).extracting(DestinationStatus::destination).containsExactly(gue);
        assertThat(ipvs.service(DNS6).orElseThrow().destinations()).extracting(DestinationStatus::destination).containsExactly(dr6);
    }

    @Test
    void editsReplaceEveryAttribute() {
        ipvs.addService(VirtualService.of(WEB, "rr").withPersistence(300, 0xFFFFFFFF));
        VirtualService edited = VirtualService.of(WEB, "wrr");
        ipvs.editService(edited);
        assertThat(ipvs.service(WEB).orElseThrow().service()).isEqualTo(edited);
        Destination nat = new Destination(AddressText.parse("198.51.100.11"), 80, ForwardingMethod.MASQ, 3, 100, 50, Tunnel.IPIP);
        ipvs.addDestination(WEB, nat);
        Destination dr = Destination.of(nat.address(), 80, ForwardingMethod.ROUTE, 0);
        ipvs.editDestination(WEB, dr);
        assertThat(ipvs.service(WEB).orElseThrow().destinations()).extracting(DestinationStatus::destination).containsExactly(dr);
    }

    @Test
    void refusalsCarryTheKernelsErrno() {
        ipvs.addService(VirtualService.of(WEB, "rr"));
        Destination d = Destination.of(AddressText.parse("198.51.100.11"), 80, ForwardingMethod.MASQ, 1);
        assertThat(errno(() -> ipvs.addService(VirtualService.of(WEB, "rr")))).isEqualTo(17);
        assertThat(errno(() -> ipvs.addService(VirtualService.of(DNS6, "nosuchsched")))).isEqualTo(2);
        assertThat(errno(() -> ipvs.editService(VirtualService.of(DNS6, "rr")))).isEqualTo(3);
        assertThat(errno(() -> ipvs.deleteService(DNS6))).isEqualTo(3);
        assertThat(errno(() -> ipvs.addDestination(DNS6, d))).isEqualTo(3);
        assertThat(errno(() -> ipvs.editDestination(WEB, d))).isEqualTo(2);
        assertThat(errno(() -> ipvs.deleteDestination(WEB, d.address(), 80))).isEqualTo(2);
        ipvs.addDestination(WEB, d);
        assertThat(errno(() -> ipvs.addDestination(WEB, d))).isEqualTo(17);
        assertThat(errno(() -> ipvs.editDestination(WEB, d.withThresholds(1, 2)))).isEqualTo(34);
        assertThat(errno(() -> ipvs.stopDaemon(SyncState.BACKUP))).isEqualTo(3);
    }

    @Test
    void deleteZeroAndFlush() {
        ipvs.addService(VirtualService.of(WEB, "rr"));
        ipvs.addService(VirtualService.of(MARK, "rr"));
        ipvs.zero(WEB);
        ipvs.zero();
        ipvs.deleteService(MARK);
        assertThat(ipvs.services()).hasSize(1);
        assertThat(ipvs.service(MARK)).isEmpty();
        ipvs.flush();
        assertThat(ipvs.services()).isEmpty();
    }

    @Test
    void timeoutsKeepValuesSetToZero() {
        ipvs.setTimeouts(new Timeouts(1000, 0, 200));
        Timeouts t = ipvs.timeouts();
        assertThat(t.tcp()).isEqualTo(1000);
        assertThat(t.udp()).isEqualTo(200);
        assertThat(t.tcpFin()).isPositive();
    }

    @Test
    void syncDaemonsStartOncePerStateAndStop() {
        ipvs.startDaemon(SyncDaemon.of(SyncState.MASTER, syncInterface(), 7));
        assertThat(errno(() -> ipvs.startDaemon(SyncDaemon.of(SyncState.MASTER, syncInterface(), 7)))).isEqualTo(17);
        List<SyncDaemon> ds = ipvs.daemons();
        assertThat(ds).hasSize(1);
        assertThat(ds.get(0).state()).isEqualTo(SyncState.MASTER);
        assertThat(ds.get(0).interfaceName()).isEqualTo(syncInterface());
        assertThat(ds.get(0).syncId()).isEqualTo(7);
        ipvs.stopDaemon(SyncState.MASTER);
        assertThat(ipvs.daemons()).isEmpty();
    }

    @Test
    void aMasterStartedWithoutOptionsReportsTheKernelsDefaults() {
        // 6.1: maxlen 1500 - IP/UDP headers for a master, group 224.0.0.81, port 8848, TTL 1 (seen in the kernel-vm guest)
        ipvs.startDaemon(SyncDaemon.of(SyncState.MASTER, syncInterface(), 7));
        assertThat(ipvs.daemons()).containsExactly(
                new SyncDaemon(SyncState.MASTER, syncInterface(), 7, 1472, AddressText.parse("224.0.0.81"), 8848, 1));
    }

    @Test
    void syncDaemonsAndMixedFamilyDestinationsExcludeEachOther() {
        // The sync protocol cannot carry a destination of another family than its service: the kernel refuses a
        // daemon while one exists, and one while a daemon runs (EINVAL); outside tunnels they are never allowed.
        ipvs.addService(VirtualService.of(WEB, "rr"));
        Destination v6Tunnel = Destination.of(AddressText.parse("2001:db8:1::99"), 80, ForwardingMethod.TUNNEL, 1);
        ipvs.addDestination(WEB, v6Tunnel);
        assertThat(errno(() -> ipvs.startDaemon(SyncDaemon.of(SyncState.MASTER, syncInterface(), 7)))).isEqualTo(22);
        ipvs.deleteDestination(WEB, v6Tunnel.address(), 80);
        ipvs.startDaemon(SyncDaemon.of(SyncState.MASTER, syncInterface(), 7));
        assertThat(errno(() -> ipvs.addDestination(WEB, v6Tunnel))).isEqualTo(22);
        ipvs.stopDaemon(SyncState.MASTER);
        Destination v6Nat = Destination.of(AddressText.parse("2001:db8:1::98"), 80, ForwardingMethod.MASQ, 1);
        assertThat(errno(() -> ipvs.addDestination(WEB, v6Nat))).isEqualTo(22);
        ipvs.addDestination(WEB, v6Tunnel);
        assertThat(ipvs.service(WEB).orElseThrow().destinations()).extracting(DestinationStatus::destination).containsExactly(v6Tunnel);
    }

    @Test
    void infoReportsTheVersionAndTableSize() {
        IpvsInfo info = ipvs.info();
        assertThat(info.version()).isEqualTo("1.2.1");
        assertThat(info.connTableSize()).isPositive();
    }
}
