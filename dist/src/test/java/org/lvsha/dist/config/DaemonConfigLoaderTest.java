package org.lvsha.dist.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.lvsha.core.config.InvalidConfigException;
import org.lvsha.core.ipvs.ForwardingMethod;
import org.lvsha.health.config.HttpCheck;

class DaemonConfigLoaderTest {
    static final Path SAMPLES = Path.of("src/main/dist/conf");

    /** A valid file; each rule test changes one line of it. Line numbers below refer to this text. */
    static final String BASE = """
            node: dir1
            vrrp:
              instances:
                - name: vip
                  vrid: 51
                  interface: eth0
                  primary: 203.0.113.2
                  priority: 150
                  advert-interval: 100ms
                  addresses: ["203.0.113.100/24 label eth0:0"]
            ipvs:
              backend: userspace
              outside-interface: eth0
              inside-interface: eth1
              services:
                - protocol: tcp
                  address: 203.0.113.100
                  port: 80
                  scheduler: rr
                  method: dr
                  real-servers:
                    - address: 192.0.2.11
                      weight: 2
                      checks: [{type: http, path: /}]
            sync:
              cluster: lab
              sync-id: 51
              bind-address: 192.0.2.2
              multicast: {group: 239.255.0.51, port: 45688}
            admin:
              listen: 127.0.0.1:9180
            """;

    static InvalidConfigException refused(String yaml) {
        try {
            DaemonConfigLoader.parse("node.yaml", yaml);
        } catch (InvalidConfigException e) {
            return e;
        }
        throw new AssertionError("accepted:\n" + yaml);
    }

    @Test
    void baseConfigBindsEverySection() {
        DaemonConfig c = DaemonConfigLoader.parse("node.yaml", BASE);
        assertThat(c.node()).isEqualTo("dir1");
        assertThat(c.vrrp().instances()).singleElement().satisfies(i -> assertThat(i.vrid()).isEqualTo(51));
        assertThat(c.ipvs().backend()).isEqualTo(IpvsBackend.USERSPACE);
        ServiceConfig s = c.ipvs().services().get(0);
        assertThat(s.id()).isEqualTo("tcp:203.0.113.100:80");
        assertThat(s.destinations()).singleElement().satisfies(d -> {
            assertThat(d.method()).isEqualTo(ForwardingMethod.ROUTE);
            assertThat(d.weight()).isEqualTo(2);
            assertThat(d.port()).isEqualTo(80); // defaults to the service's port
        });
        assertThat(s.health().realServers().get(0).id()).isEqualTo("192.0.2.11:80");
        assertThat(s.health().realServers().get(0).checks().get(0)).isInstanceOf(HttpCheck.class);
        assertThat(c.sync().enabled()).isTrue();
        assertThat(c.sync().replication().syncId()).isEqualTo(51);
        assertThat(c.admin().listen().getPort()).isEqualTo(9180);
    }

    @Test
    void samplesLoad() {
        for (String f : List.of("lvsha-dr-pair.yaml", "lvsha-nat-pair.yaml")) {
            DaemonConfig c = DaemonConfigLoader.load(SAMPLES.resolve(f));
            assertThat(c.vrrp().groups()).singleElement().satisfies(g -> assertThat(g.instances()).containsExactly("vip", "dip"));
            assertThat(c.ipvs().services()).isNotEmpty();
        }
    }

    @Test
    void everyProblemIsReportedAtOnceAndNothingIsBuilt() {
        String bad = BASE.replace("port: 80", "port: 99999").replace("scheduler: rr", "scheduler: fastest")
                .replace("priority: 150", "priority: 300").replace("sync-id: 51", "sync-id: 0");
        InvalidConfigException e = refused(bad);
        assertThat(e.problems()).hasSize(4);
        assertThat(e.problems()).anyMatch(p -> p.startsWith("node.yaml:4:5: vrrp: instance vip: priority 300 out of 1-255"));
        assertThat(e.problems()).anyMatch(p -> p.startsWith("node.yaml:18:13: 'port' 99999 is out of range 0-65535"));
        assertThat(e.problems()).anyMatch(p -> p.startsWith("node.yaml:19:18: scheduler 'fastest'"));
        assertThat(e.problems()).anyMatch(p -> p.startsWith("node.yaml:27:12: 'sync-id' 0 is out of range 1-255"));
    }

    static Stream<Arguments> rules() {
        return Stream.of(
                Arguments.of("node: dir1", "node: 'dir 1'", "1:7: node name 'dir 1' must be 1-64 characters"),
                Arguments.of("node: dir1\n", "", "1:1: 'node' is required"),
                Arguments.of("admin:\n", "color: blue\nadmin:\n", "30:1: unknown key 'color'"),
                Arguments.of("  backend: userspace", "  backend: fpga", "12:12: backend 'fpga' is not one of auto, kernel, userspace, memory"),
                Arguments.of("  outside-interface: eth0\n", "", "11:1: the userspace backend needs 'outside-interface' and 'inside-interface'"),
                Arguments.of("  backend: userspace", "  backend: userspace\n  workers: 0", "13:12: 'workers' 0 is out of range 1-64"),
                Arguments.of("    - protocol: tcp", "    - protocol: icmp", "16:17: protocol 'icmp' is not one of tcp, udp, sctp"),
                Arguments.of("address: 203.0.113.100", "address: www.example.org", "17:16: 'www.example.org' is not an IP address literal"),
                Arguments.of("      port: 80", "      port: eighty", "18:13: 'port' must be a whole number, got 'eighty'"),
                Arguments.of("      scheduler: rr", "      scheduler: rr\n      persistence: {timeout: 0s}",
                        "20:30: a persistence timeout must be at least 1s"),
                Arguments.of("      scheduler: rr", "      scheduler: rr\n      persistence: {timeout: 60s, netmask: 255.0.255.0}",
                        "20:44: '255.0.255.0' is not a contiguous IPv4 netmask"),
                Arguments.of("      method: dr", "      method: carrier-pigeon", "20:15: method 'carrier-pigeon' is not one of dr, nat, tun"),
                Arguments.of("      method: dr", "      method: tun", "20:15: the userspace data plane forwards dr and nat only"),
                Arguments.of("address: 203.0.113.100", "address: 2001:db8::100", "17:16: the userspace data plane forwards IPv4 only"),
                Arguments.of("    - protocol: tcp", "    - protocol: sctp", "16:17: the userspace data plane forwards TCP and UDP only"),
                Arguments.of("          weight: 2", "          weight: -1", "23:19: 'weight' -1 is out of range 0-65535"),
                Arguments.of("          weight: 2", "          weight: 2\n          upper-threshold: 5\n          lower-threshold: 9",
                        "25:28: lower-threshold 9 is above upper-threshold 5"),
                Arguments.of("          weight: 2", "          weight: 2\n          max-weight: 1", "24:23: max-weight 1 is below weight 2"),
                Arguments.of("type: http, path: /", "type: smtp", "24:20: health check: Could not resolve type id 'smtp'"),
                Arguments.of("type: http, path: /", "type: http, pth: /", "24:38: health check: Unrecognized field \"pth\""),
                Arguments.of("      real-servers:\n        - address: 192.0.2.11\n          weight: 2\n          checks: [{type: http, path: /}]\n",
                        "      real-servers: []\n", "16:7: 'real-servers' must be a non-empty list"),
                Arguments.of("          weight: 2", "          weight: 2\n        - address: 192.0.2.11", "24:11: real server 192.0.2.11:80 is listed twice"),
                Arguments.of("          checks: [{type: http, path: /}]", "          checks: [{type: http, path: /}]\n"
                        + "    - {protocol: tcp, address: 203.0.113.100, port: 80, real-servers: [{address: 192.0.2.12}]}",
                        "25:7: virtual service TCP 203.0.113.100:80 is configured twice"),
                Arguments.of("      method: dr", "      method: dr\n      health: {on-failure: explode}", "21:28: on-failure 'explode' is not one of inhibit, remove"),
                Arguments.of("      method: dr", "      method: dr\n      health: {sorry-server: {address: 192.0.2.13, port: 80, weight: 1}}",
                        "21:7: service tcp:203.0.113.100:80: a sorry server needs a quorum"),
                Arguments.of("      method: dr", "      method: dr\n      health: {slow-start: soon}", "21:28: 'soon' is not a duration"),
                Arguments.of("  cluster: lab", "  cluster: 'l a b'", "26:12: cluster name 'l a b' must be 1-64 characters"),
                Arguments.of("  cluster: lab\n", "", "25:1: 'cluster' is required"),
                Arguments.of("  multicast: {group: 239.255.0.51, port: 45688}", "  multicast: {group: 192.0.2.9, port: 45688}",
                        "29:22: 192.0.2.9 is not a multicast address"),
                Arguments.of("  multicast: {group: 239.255.0.51, port: 45688}", "  multicast: {group: 239.255.0.51, port: 45688}\n  tcp-peers: [192.0.2.3:7800]",
                        "25:1: give exactly one of 'multicast' (group and port) or 'tcp-peers'"),
                Arguments.of("  multicast: {group: 239.255.0.51, port: 45688}", "  tcp-peers: [dir2]", "29:15: 'dir2' is not ADDRESS:PORT"),
                Arguments.of("  bind-address: 192.0.2.2", "  bind-address: 192.0.2.2\n  key-file: /nonexistent/sync.key",
                        "29:13: key file /nonexistent/sync.key does not exist or is not readable"),
                Arguments.of("  bind-address: 192.0.2.2", "  bind-address: 192.0.2.2\n  kernel-relay: true",
                        "29:17: kernel-relay needs 'interface'"),
                Arguments.of("  bind-address: 192.0.2.2", "  bind-address: 192.0.2.2\n  interface: eth1\n  kernel-relay: true",
                        "30:17: kernel-relay relays the kernel's sync daemons: it needs the kernel (or auto) backend, not userspace"),
                Arguments.of("  listen: 127.0.0.1:9180", "  listen: localhost", "31:11: 'localhost' is not ADDRESS:PORT"),
                Arguments.of("  listen: 127.0.0.1:9180", "  listen: 127.0.0.1:0", "31:11: port 0 is out of range 1-65535"),
                Arguments.of("      priority: 150", "      priority: 150\n      vrid: 300", "4:5: vrrp: instance vip: vrid 300 out of 1-255"),
                Arguments.of("vrrp:\n  instances:", "vrrp:\n  instance:", "4:5: vrrp: unknown key 'instance'"),
                Arguments.of("vrrp:\n  instances:\n    - name: vip\n      vrid: 51\n      interface: eth0\n      primary: 203.0.113.2\n"
                        + "      priority: 150\n      advert-interval: 100ms\n      addresses: [\"203.0.113.100/24 label eth0:0\"]\n",
                        "vrrp: {instances: []}\n", "2:1: write 'vrrp' as a block mapping"),
                Arguments.of("node: dir1", "node: [dir1", "not valid YAML"));
    }

    @ParameterizedTest(name = "{2}")
    @MethodSource("rules")
    void eachRuleIsReportedWithLineColumnAndReason(String from, String to, String expected) {
        assertThat(BASE).contains(from);
        InvalidConfigException e = refused(BASE.replace(from, to));
        assertThat(e.problems()).as("problems").anyMatch(p -> p.contains(expected));
        assertThat(e.problems()).allMatch(p -> p.matches("node\\.yaml:\\d+:\\d+: .*"), "every problem carries file:line:column");
    }

    @Test
    void unreadableFileIsAProblemNotACrash() {
        assertThatThrownBy(() -> DaemonConfigLoader.load(Path.of("/nonexistent/lvsha.yaml")))
                .isInstanceOf(InvalidConfigException.class).hasMessageContaining("/nonexistent/lvsha.yaml:1:1: cannot read");
    }
}
