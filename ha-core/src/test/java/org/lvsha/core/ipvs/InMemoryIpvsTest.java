package org.lvsha.core.ipvs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The in-memory table refuses what the kernel refuses, with the kernel's errno (ip_vs_ctl.c; §2). */
class InMemoryIpvsTest {

    private static final ServiceKey VIP = ServiceKey.of(IpProtocol.TCP, AddressText.parse("203.0.113.100"), 80);
    private static final Destination RS1 = Destination.of(AddressText.parse("10.0.0.11"), 80, ForwardingMethod.MASQ, 1);

    private final InMemoryIpvs ipvs = new InMemoryIpvs();

    private static int errno(Runnable r) {
        try {
            r.run();
        } catch (IpvsException e) {
            return e.errno();
        }
        throw new AssertionError("no IpvsException");
    }

    @Test
    void addingAServiceTwiceIsEexistNamingTheService() {
        ipvs.addService(VirtualService.of(VIP, "rr"));
        assertThatThrownBy(() -> ipvs.addService(VirtualService.of(VIP, "wlc")))
                .hasMessage("Service already exists: TCP 203.0.113.100:80 (EEXIST)");
    }

    @Test
    void unknownSchedulerOrPersistenceEngineIsEnoentButNoneIsAllowed() {
        assertThat(errno(() -> ipvs.addService(VirtualService.of(VIP, "fastest")))).isEqualTo(2);
        assertThat(errno(() -> ipvs.addService(new VirtualService(VIP, "rr", 0, 0, -1, false, "http")))).isEqualTo(2);
        ipvs.addService(VirtualService.of(VIP, "none"));
        assertThat(errno(() -> ipvs.editService(VirtualService.of(VIP, "fastest")))).isEqualTo(2);
    }

    @Test
    void editingOrDeletingAnAbsentServiceIsEsrch() {
        assertThat(errno(() -> ipvs.editService(VirtualService.of(VIP, "rr")))).isEqualTo(3);
        assertThat(errno(() -> ipvs.deleteService(VIP))).isEqualTo(3);
        assertThat(errno(() -> ipvs.zero(VIP))).isEqualTo(3);
        assertThat(errno(() -> ipvs.addDestination(VIP, RS1))).isEqualTo(3);
        assertThat(errno(() -> ipvs.deleteDestination(VIP, RS1.address(), 80))).isEqualTo(3);
    }

    @Test
    void destinationRules() {
        ipvs.addService(VirtualService.of(VIP, "rr"));
        ipvs.addDestination(VIP, RS1);
        assertThatThrownBy(() -> ipvs.addDestination(VIP, RS1))
                .hasMessage("Destination already exists: TCP 203.0.113.100:80 -> 10.0.0.11:80 (EEXIST)");
        Destination other = Destination.of(AddressText.parse("10.0.0.12"), 80, ForwardingMethod.MASQ, 1);
        assertThatThrownBy(() -> ipvs.editDestination(VIP, other))
                .hasMessage("No such destination: TCP 203.0.113.100:80 -> 10.0.0.12:80 (ENOENT)");
        assertThat(errno(() -> ipvs.deleteDestination(VIP, other.address(), 80))).isEqualTo(2);
        assertThat(errno(() -> ipvs.addDestination(VIP, other.withWeight(-1)))).isEqualTo(34);
        assertThat(errno(() -> ipvs.addDestination(VIP, other.withThresholds(10, 20)))).isEqualTo(34);
        Destination gueWithoutPort = new Destination(other.address(), 80, ForwardingMethod.TUNNEL, 1, 0, 0,
                new Tunnel(TunnelType.GUE, 0, TunnelChecksum.NOCSUM));
        assertThat(errno(() -> ipvs.addDestination(VIP, gueWithoutPort))).isEqualTo(22);
    }

    @Test
    void aDestinationOfAnotherFamilyOnlyByTunnelAndNotWhileSyncing() {
        ipvs.addService(VirtualService.of(VIP, "rr"));
        Destination v6 = Destination.of(AddressText.parse("2001:db8::11"), 80, ForwardingMethod.MASQ, 1);
        assertThat(errno(() -> ipvs.addDestination(VIP, v6))).isEqualTo(22);
        Destination v6tun = Destination.of(v6.address(), 80, ForwardingMethod.TUNNEL, 1);
        ipvs.addDestination(VIP, v6tun);
        // §1.1: the sync daemon refuses to start while a service has mixed families
        assertThat(errno(() -> ipvs.startDaemon(SyncDaemon.of(SyncState.MASTER, "eth0", 1)))).isEqualTo(22);
        ipvs.deleteDestination(VIP, v6.address(), 80);
        ipvs.startDaemon(SyncDaemon.of(SyncState.MASTER, "eth0", 1));
        assertThat(errno(() -> ipvs.addDestination(VIP, v6tun))).isEqualTo(22);
    }

    @Test
    void anEditReplacesEveryAttributeAndKeepsCounters() {
        ipvs.addService(VirtualService.of(VIP, "rr"));
        ipvs.addDestination(VIP, RS1.withThresholds(100, 50));
        ipvs.updateCounters(VIP, RS1.address(), 80, 4, 5, 0, new Stats(1, 2, 3, 4, 5), Rates.ZERO);
        Destination edited = Destination.of(RS1.address(), 80, ForwardingMethod.ROUTE, 0);
        ipvs.editDestination(VIP, edited);
        DestinationStatus d = ipvs.service(VIP).orElseThrow().destinations().get(0);
        assertThat(d.destination()).isEqualTo(edited);
        assertThat(d.activeConns()).isEqualTo(4);
        assertThat(d.stats().conns()).isEqualTo(1);
    }

    @Test
    void zeroClearsCountersNotConnectionsAndFlushRemovesAll() {
        ipvs.addService(VirtualService.of(VIP, "rr"));
        ipvs.addDestination(VIP, RS1);
        ipvs.updateCounters(VIP, new Stats(9, 9, 9, 9, 9), new Rates(1, 1, 1, 1, 1));
        ipvs.updateCounters(VIP, RS1.address(), 80, 4, 5, 0, new Stats(1, 2, 3, 4, 5), Rates.ZERO);
        ipvs.zero();
        ServiceStatus s = ipvs.service(VIP).orElseThrow();
        assertThat(s.stats()).isEqualTo(Stats.ZERO);
        assertThat(s.rates()).isEqualTo(Rates.ZERO);
        assertThat(s.destinations().get(0).stats()).isEqualTo(Stats.ZERO);
        assertThat(s.destinations().get(0).activeConns()).isEqualTo(4);
        ipvs.flush();
        assertThat(ipvs.services()).isEmpty();
    }

    @Test
    void timeoutsZeroKeepsTheCurrentValue() {
        assertThat(ipvs.timeouts()).isEqualTo(new Timeouts(900, 120, 300));
        ipvs.setTimeouts(new Timeouts(0, 60, 0));
        assertThat(ipvs.timeouts()).isEqualTo(new Timeouts(900, 60, 300));
        assertThat(errno(() -> ipvs.setTimeouts(new Timeouts(Integer.MAX_VALUE, 0, 0)))).isEqualTo(22);
    }

    @Test
    void daemonsStartOncePerStateAndListMasterFirst() {
        ipvs.startDaemon(SyncDaemon.of(SyncState.BACKUP, "eth1", 2));
        ipvs.startDaemon(SyncDaemon.of(SyncState.MASTER, "eth0", 1));
        assertThatThrownBy(() -> ipvs.startDaemon(SyncDaemon.of(SyncState.MASTER, "eth0", 1)))
                .hasMessage("Daemon has already run: master sync daemon on eth0 (EEXIST)");
        assertThat(ipvs.daemons()).extracting(SyncDaemon::state).containsExactly(SyncState.MASTER, SyncState.BACKUP);
        ipvs.stopDaemon(SyncState.MASTER);
        assertThatThrownBy(() -> ipvs.stopDaemon(SyncState.MASTER)).hasMessage("No daemon is running: master sync daemon (ESRCH)");
        assertThat(errno(() -> ipvs.startDaemon(new SyncDaemon(SyncState.MASTER, "eth0", 1, 0, AddressText.parse("192.0.2.1"), 0, 0))))
                .isEqualTo(22);
    }

    @Test
    void invalidIpv6PrefixIsEinval() {
        ServiceKey v6 = ServiceKey.of(IpProtocol.TCP, AddressText.parse("2001:db8::1"), 80);
        assertThat(errno(() -> ipvs.addService(new VirtualService(v6, "rr", 0, 60, 0, false, "")))).isEqualTo(22);
    }

    @Test
    void generationCountsTableChangesOnly() {
        long g0 = ipvs.generation();
        ipvs.addService(VirtualService.of(VIP, "rr"));
        ipvs.addDestination(VIP, RS1);
        ipvs.editDestination(VIP, RS1.withWeight(5));
        long g1 = ipvs.generation();
        assertThat(g1).isEqualTo(g0 + 3);
        ipvs.updateCounters(VIP, Stats.ZERO, Rates.ZERO);
        ipvs.setTimeouts(new Timeouts(1, 1, 1));
        assertThat(errno(() -> ipvs.addService(VirtualService.of(VIP, "rr")))).isEqualTo(17);
        assertThat(ipvs.generation()).isEqualTo(g1);
        ipvs.deleteDestination(VIP, RS1.address(), 80);
        ipvs.deleteService(VIP);
        ipvs.flush();
        assertThat(ipvs.generation()).isEqualTo(g1 + 3);
    }
}
