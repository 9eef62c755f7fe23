package org.lvsha.dist.vrrp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.lvsha.vrrp.config.ConfigException;
import org.lvsha.vrrp.config.InstanceConfig;
import org.lvsha.vrrp.config.NodeConfig;
import org.lvsha.vrrp.config.TrackConfig;

class VrrpConfigFileTest {

    @Test
    void theLabDirectorConfigBindsToTwoInstancesInOneSyncGroup() {
        NodeConfig c = VrrpConfigFile.parse("dir1.yaml", VrrpLab.directorConfig(1, 150,
                VrrpLab.Settings.v3(10).withPreempt(true, Duration.ofMillis(1500))));
        assertThat(c.instances()).extracting(InstanceConfig::name).containsExactly("vip", "dip");
        InstanceConfig vip = c.instances().get(0);
        assertThat(vip.vrid()).isEqualTo(51);
        assertThat(vip.advertIntervalCentis()).isEqualTo(1);
        assertThat(vip.preemptDelay()).isEqualTo(Duration.ofMillis(1500));
        assertThat(vip.addresses().get(0).toString()).isEqualTo("203.0.113.100/24 dev eth0 label eth0:0");
        assertThat(vip.tracks()).containsExactly(new TrackConfig.Interface("eth0", 0), new TrackConfig.Interface("eth1", 0));
        assertThat(c.groupOf("dip")).isEqualTo("lb");
    }

    @Test
    void aVersion2InstanceWithPasswordAndUnicastPeers() {
        NodeConfig c = VrrpConfigFile.parse("n.yaml", """
                instances:
                  - {name: v2, vrid: 7, version: 2, interface: eth0, primary: 192.0.2.2, priority: 200, advert-interval: 2s,
                     auth-password: s3cret, unicast-peers: [192.0.2.3], preempt: false, addresses: ["192.0.2.50/24"]}
                """);
        InstanceConfig i = c.instances().get(0);
        assertThat(i.version()).isEqualTo(2);
        assertThat(i.wireInterval()).isEqualTo(2);
        assertThat(i.authPassword()).isEqualTo("s3cret");
        assertThat(i.preempt()).isFalse();
        assertThat(i.unicastPeers()).hasSize(1);
    }

    @Test
    void everyProblemIsReportedWithFileAndLine() {
        String yaml = """
                instances:
                  - name: vip
                    vrid: 300
                    interface: eth0
                    primary: 203.0.113.2
                    priority: 150
                    advert-interval: 15ms
                    adresses: ["203.0.113.100/24"]
                  - name: dip
                    vrid: 52
                    interface: eth1
                    primary: not-an-address
                    addresses: ["192.0.2.254/24 label eth0:0"]
                """;
        assertThatThrownBy(() -> VrrpConfigFile.parse("/etc/lvsha/node.yaml", yaml))
                .isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).problems()).containsExactly(
                        "/etc/lvsha/node.yaml:8: unknown key 'adresses' (known: accept, addresses, advert-interval, announce,"
                                + " auth-password, interface, name, notify, preempt, preempt-delay, primary, priority,"
                                + " track-files, track-interfaces, unicast-peers, version, vrid)",
                        "/etc/lvsha/node.yaml:7: advert interval 15 ms is not a multiple of 10 ms (the wire unit is centiseconds, RFC 5798 §5.2.7)",
                        "/etc/lvsha/node.yaml:12: 'not-an-address' is not an IP address literal",
                        "/etc/lvsha/node.yaml:13: label 'eth0:0' must start with 'eth1' and be at most 15 characters"));
    }

    @Test
    void recordValidationProblemsPointAtTheirInstance() {
        assertThatThrownBy(() -> VrrpConfigFile.parse("n.yaml", """
                instances:
                  - name: a
                    vrid: 300
                    interface: eth0
                    primary: 203.0.113.2
                    addresses: ["203.0.113.100/24"]
                """))
                .hasMessageContaining("n.yaml:2: instance a: vrid 300 out of 1-255"); // the line where instance a starts
    }

    @Test
    void brokenYamlNamesTheLine() {
        assertThatThrownBy(() -> VrrpConfigFile.parse("n.yaml", "instances:\n  - name: [a\n  vrid: 1\n"))
                .hasMessageStartingWith("n.yaml:");
    }
}
