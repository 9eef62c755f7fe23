package org.lvsha.core.dataplane;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.lvsha.core.ipvs.AddressText;
import org.lvsha.core.ipvs.Destination;
import org.lvsha.core.ipvs.ForwardingMethod;
import org.lvsha.core.ipvs.InMemoryIpvs;
import org.lvsha.core.ipvs.IpProtocol;
import org.lvsha.core.ipvs.ServiceKey;
import org.lvsha.core.ipvs.VirtualService;

/** Scheduling and accounting rules of the forwarding state, without sockets. */
class ForwardingTableTest {
    private final InMemoryIpvs ipvs = new InMemoryIpvs();
    private final ForwardingTable table = new ForwardingTable(64, ConnectionListener.NONE);
    private final ServiceKey key = ServiceKey.of(IpProtocol.TCP, AddressText.parse("203.0.113.100"), 80);
    private final int[] tpl = new int[1];

    private Destination dest(int host, int weight) {
        return Destination.of(AddressText.parse("192.0.2." + host), 80, ForwardingMethod.ROUTE, weight);
    }

    private ForwardingService apply() {
        table.apply(ipvs.services());
        return table.find(key);
    }

    @Test
    void weightChangesKeepDestinationIdentitySoConnectionsKeepTheirServer() {
        ipvs.addService(VirtualService.of(key, "rr"));
        ipvs.addDestination(key, dest(11, 1));
        ipvs.addDestination(key, dest(12, 1));
        ForwardingService s = apply();
        ForwardingDestination first = table.schedule(s, TestFrames.CLIENT, 1, TestFrames.VIP, 80, 0, false, tpl);
        ipvs.editDestination(key, dest(11, 0).withWeight(0));
        ipvs.editDestination(key, dest(12, 0).withWeight(5));
        s = apply();
        assertThat(table.destinations[first.id]).isSameAs(first);
        assertThat(first.available).isTrue();
        // Quiesced: weight 0 takes nothing new.
        for (int i = 0; i < 4; i++) {
            assertThat(table.schedule(s, TestFrames.CLIENT, 2 + i, TestFrames.VIP, 80, 0, false, tpl).addressBytes[3]).isEqualTo((byte) 12);
        }
    }

    @Test
    void aDeletedDestinationIsUnavailableButStillKnownToItsConnections() {
        ipvs.addService(VirtualService.of(key, "rr"));
        ipvs.addDestination(key, dest(11, 1));
        ForwardingService s = apply();
        ForwardingDestination d = table.schedule(s, TestFrames.CLIENT, 1, TestFrames.VIP, 80, 0, true, tpl);
        ipvs.deleteDestination(key, d.config.address(), 80);
        s = apply();
        assertThat(table.destinations[d.id]).isSameAs(d);
        assertThat(d.available).isFalse();
        assertThat(table.schedule(s, TestFrames.CLIENT, 2, TestFrames.VIP, 80, 0, true, tpl)).isNull();
    }

    @Test
    void persistenceReusesTheTemplateForTheMaskedClientEvenAtWeightZero() {
        ipvs.addService(VirtualService.of(key, "rr").withPersistence(60, 0xffffff00));
        ipvs.addDestination(key, dest(11, 1));
        ipvs.addDestination(key, dest(12, 1));
        ForwardingService s = apply();
        ForwardingDestination d = table.schedule(s, TestFrames.CLIENT, 1, TestFrames.VIP, 80, 0, false, tpl);
        int template = tpl[0];
        assertThat(template).isNotNegative();
        assertThat(table.templates.clientAddress(template)).isEqualTo(TestFrames.CLIENT & 0xffffff00);
        assertThat(d.persistConns).isEqualTo(1);
        // Another client of the same /24, another port: same server through the template.
        assertThat(table.schedule(s, TestFrames.CLIENT + 5, 999, TestFrames.VIP, 80, 0, false, tpl)).isSameAs(d);
        assertThat(table.templates.controlledCount(template)).isEqualTo(2);
        ipvs.editDestination(key, d.config.withWeight(0));
        s = apply();
        assertThat(table.schedule(s, TestFrames.CLIENT, 3, TestFrames.VIP, 80, 0, false, tpl)).isSameAs(d);
        // A template still controlling connections outlives its timeout; once free it expires.
        assertThat(table.expireTemplates(61_000)).isZero();
        for (int i = 0; i < 3; i++) {
            table.unbound(d, false, template);
        }
        assertThat(table.expireTemplates(200_000)).isEqualTo(1);
        assertThat(d.persistConns).isZero();
    }

    @Test
    void upperThresholdOverloadsTheDestinationUntilUnderThreeQuarters() {
        ipvs.addService(VirtualService.of(key, "rr"));
        ipvs.addDestination(key, dest(11, 1).withThresholds(4, 0));
        ForwardingService s = apply();
        ForwardingDestination d = null;
        for (int i = 0; i < 4; i++) {
            d = table.schedule(s, TestFrames.CLIENT, i, TestFrames.VIP, 80, 0, true, tpl);
            assertThat(d).isNotNull();
        }
        assertThat(table.schedule(s, TestFrames.CLIENT, 9, TestFrames.VIP, 80, 0, true, tpl)).isNull();
        table.unbound(d, true, -1);
        assertThat(table.schedule(s, TestFrames.CLIENT, 9, TestFrames.VIP, 80, 0, true, tpl)).isNull();
        table.unbound(d, true, -1);
        assertThat(table.schedule(s, TestFrames.CLIENT, 9, TestFrames.VIP, 80, 0, true, tpl)).isSameAs(d);
    }

    @Test
    void nonForwardableServicesAreListedButNotIndexed() {
        ServiceKey v6 = ServiceKey.of(IpProtocol.TCP, AddressText.parse("2001:db8::100"), 80);
        ipvs.addService(VirtualService.of(v6, "rr"));
        table.apply(ipvs.services());
        assertThat(table.find(v6)).isNull();
        assertThat(List.of(ForwardingTable.forwardable(key), ForwardingTable.forwardable(v6))).containsExactly(true, false);
    }
}
