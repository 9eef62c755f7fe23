package org.lvsha.dist.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.lvsha.dist.lab.AddressPlan.Net;

/** The code matches the tables of LAB.md. */
class AddressPlanTest {
    @Test
    void hostsHaveThePlansAddressesOnBothNets() {
        assertThat(Net.OUTSIDE.v4(AddressPlan.ROUTER)).isEqualTo("203.0.113.1");
        assertThat(Net.INSIDE.v6(AddressPlan.DIR2)).isEqualTo("2001:db8:0:2::3");
        assertThat(Net.OUTSIDE.v6(AddressPlan.CLIENT)).isEqualTo("2001:db8:0:1::10");
        assertThat(AddressPlan.rip4(1)).isEqualTo("192.0.2.11");
        assertThat(AddressPlan.rip6(3)).isEqualTo("2001:db8:0:2::13");
        assertThat(Net.SPARE.v4Subnet()).isEqualTo("198.51.100.0/24");
    }

    @Test
    void vipAndDipAreHundredOutsideAnd254Inside() {
        assertThat(AddressPlan.VIP4).isEqualTo("203.0.113.100");
        assertThat(AddressPlan.VIP6).isEqualTo("2001:db8:0:1::100");
        assertThat(AddressPlan.DIP4).isEqualTo("192.0.2.254");
        assertThat(AddressPlan.DIP6).isEqualTo("2001:db8:0:2::254");
        assertThat(AddressPlan.VRID_VIP).isEqualTo(51);
        assertThat(AddressPlan.VRID_DIP).isEqualTo(52);
    }

    @Test
    void macsEncodeTheNetworkAndTheHostNumberInHex() {
        assertThat(Net.OUTSIDE.mac(AddressPlan.DIR1)).isEqualTo("02:00:5e:01:00:02");
        assertThat(Net.INSIDE.mac(AddressPlan.realServer(1))).isEqualTo("02:00:5e:02:00:0b");
        assertThat(Net.INSIDE.mac(AddressPlan.DIP_HOST)).isEqualTo("02:00:5e:02:00:fe");
    }

    @Test
    void realServerCountIsBoundedSoNumbersStayInThePlan() {
        assertThatThrownBy(() -> Lab.dr(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Lab.nat(Lab.MAX_REAL_SERVERS + 1)).isInstanceOf(IllegalArgumentException.class);
        assertThat(Lab.dr(2).hostNames()).containsExactly("client", "router", "dir1", "dir2", "rs1", "rs2");
        assertThat(Lab.nat(1).hostNames()).containsExactly("client", "dir1", "dir2", "rs1");
    }
}
