package org.lvsha.dist.drill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.lvsha.dist.config.DaemonConfig;
import org.lvsha.dist.config.DaemonConfigLoader;
import org.lvsha.dist.config.IpvsBackend;
import org.lvsha.dist.lab.Layout;
import org.lvsha.vrrp.config.InstanceConfig;

/** The generated director files are valid {@code lvsha run} configurations that follow the lab plan. */
class DrillPairConfigTest {
    @Test
    void bothDirectorsOfADrPairAreValidWithTheirOwnAddressesAndPriorities() {
        PairConfig p = new PairConfig(Layout.DR, 2, true, Duration.ofMillis(100));
        DaemonConfig d1 = DaemonConfigLoader.parse("dir1.yaml", p.yaml(1));
        DaemonConfig d2 = DaemonConfigLoader.parse("dir2.yaml", p.yaml(2));
        assertThat(d1.node()).isEqualTo("dir1");
        assertThat(d2.node()).isEqualTo("dir2");
        InstanceConfig vip1 = d1.vrrp().instances().get(0);
        InstanceConfig vip2 = d2.vrrp().instances().get(0);
        assertThat(vip1.vrid()).isEqualTo(51);
        assertThat(vip1.priority()).isEqualTo(150);
        assertThat(vip2.priority()).isEqualTo(100);
        assertThat(vip1.primaryAddress().getHostAddress()).isEqualTo("203.0.113.2");
        assertThat(vip2.primaryAddress().getHostAddress()).isEqualTo("203.0.113.3");
        assertThat(vip1.advertIntervalCentis()).isEqualTo(10);
        assertThat(vip1.preempt()).as("a scenario is one failover: the recovered director stays backup").isFalse();
        assertThat(d1.ipvs().backend()).isEqualTo(IpvsBackend.USERSPACE);
        assertThat(d1.ipvs().services()).hasSize(2);
        assertThat(d1.ipvs().services().get(0).destinations()).hasSize(2);
        assertThat(d1.sync().enabled()).isTrue();
    }

    @Test
    void noSyncTurnsReplicationOffAndNatRewritesTheDestination() {
        PairConfig p = new PairConfig(Layout.NAT, 3, false, Duration.ofMillis(50));
        DaemonConfig d = DaemonConfigLoader.parse("dir2.yaml", p.yaml(2));
        assertThat(d.sync().enabled()).isFalse();
        assertThat(d.ipvs().services().get(1).destinations()).hasSize(3);
        assertThat(p.yaml(2)).contains("method: nat").contains("advert-interval: 50ms");
    }

    @Test
    void advertIntervalsThatVrrpv3CannotCarryAreRefused() {
        assertThatThrownBy(() -> new PairConfig(Layout.DR, 2, true, Duration.ofMillis(15)))
                .hasMessageContaining("multiple of 10 ms");
    }
}
