package org.lvsha.vrrp.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.lvsha.core.net.VirtualAddress;

class InstanceConfigTest {
    static InetAddress ip(String s) {
        try {
            return InetAddress.getByName(s);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static final List<VirtualAddress> VIPS = List.of(new VirtualAddress("eth0", ip("203.0.113.100"), 24, "eth0:0"));

    static InstanceConfig cfg(String name, int vrid, int version, InetAddress primary, List<VirtualAddress> addrs, int prio,
                              int interval, String password, List<InetAddress> peers, List<TrackConfig> tracks) {
        return new InstanceConfig(name, vrid, version, "eth0", primary, addrs, prio, interval, true, Duration.ZERO, false,
                password, peers, tracks, null, null);
    }

    static ConfigException problems(Runnable r) {
        try {
            r.run();
        } catch (ConfigException e) {
            return e;
        }
        throw new AssertionError("accepted");
    }

    @Test
    void aValidV3InstanceHasRfc5798Defaults() {
        InstanceConfig c = InstanceConfig.v3("vip", 51, "eth0", ip("203.0.113.2"), 100, VIPS);
        assertThat(c.advertIntervalCentis()).isEqualTo(100);
        assertThat(c.preempt()).isTrue();
        assertThat(c.accept()).isFalse();
        assertThat(c.wireInterval()).isEqualTo(100);
        assertThat(c.asV2(null).wireInterval()).isEqualTo(1);
    }

    @Test
    void everyProblemIsReportedAtOnceNamingTheInstance() {
        ConfigException e = problems(() -> cfg("vip", 0, 3, ip("203.0.113.2"), VIPS, 0, 4096, null, List.of(), List.of()));
        assertThat(e.problems()).containsExactly(
                "instance vip: vrid 0 out of 1-255",
                "instance vip: priority 0 out of 1-255 (0 is reserved for the stopping master)",
                "instance vip: advert interval 4096 cs out of 1-4095 (10 ms to 40.95 s)");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 50, 150, 25600})
    void v2IntervalMustBeWholeSeconds(int centis) {
        assertThat(problems(() -> cfg("v", 1, 2, ip("203.0.113.2"), VIPS, 100, centis, null, List.of(), List.of())).getMessage())
                .contains("whole seconds");
    }

    @Test
    void v2IsIpv4OnlyAndPasswordsAreV2OnlyAndAtMost8Bytes() {
        List<VirtualAddress> v6 = List.of(new VirtualAddress("eth0", ip("2001:db8::100"), 64, null));
        assertThat(problems(() -> cfg("v", 1, 2, ip("fe80::2"), v6, 100, 100, null, List.of(), List.of())).getMessage())
                .contains("IPv4 only");
        assertThat(problems(() -> cfg("v", 1, 3, ip("203.0.113.2"), VIPS, 100, 100, "x", List.of(), List.of())).getMessage())
                .contains("only in VRRPv2");
        assertThat(problems(() -> cfg("v", 1, 2, ip("203.0.113.2"), VIPS, 100, 100, "123456789", List.of(), List.of())).getMessage())
                .contains("longer than 8 bytes");
    }

    @Test
    void ipv6AdvertsComeFromTheLinkLocalAddress() {
        List<VirtualAddress> v6 = List.of(new VirtualAddress("eth0", ip("2001:db8::100"), 64, null));
        assertThat(problems(() -> cfg("v", 1, 3, ip("2001:db8::2"), v6, 100, 100, null, List.of(), List.of())).getMessage())
                .contains("must be link-local");
        assertThat(cfg("v", 1, 3, ip("fe80::2"), v6, 100, 100, null, List.of(), List.of()).ipv6()).isTrue();
    }

    @Test
    void addressesAndPeersMustMatchThePrimaryAddressFamily() {
        List<VirtualAddress> v6 = List.of(new VirtualAddress("eth0", ip("2001:db8::100"), 64, null));
        assertThat(problems(() -> cfg("v", 1, 3, ip("203.0.113.2"), v6, 100, 100, null, List.of(), List.of())).getMessage())
                .contains("not of the primary address's family");
        assertThat(problems(() -> cfg("v", 1, 3, ip("203.0.113.2"), VIPS, 100, 100, null, List.of(ip("2001:db8::3")), List.of()))
                .getMessage()).contains("unicast peer 2001:db8:0:0:0:0:0:3");
        assertThat(problems(() -> cfg("v", 1, 3, ip("203.0.113.2"), List.of(), 100, 100, null, List.of(), List.of())).getMessage())
                .contains("at least one virtual address");
        assertThat(problems(() -> cfg("v", 1, 3, null, VIPS, 100, 100, null, List.of(), List.of())).getMessage())
                .contains("primary address");
    }

    @Test
    void trackedObjectsAreValidated() {
        List<TrackConfig> bad = List.of(
                new TrackConfig.Interface("eth1", 255),
                new TrackConfig.Script("chk", List.of(), Duration.ZERO, Duration.ofSeconds(1), 0, 1, 0),
                new TrackConfig.File(Path.of("/tmp/x"), Duration.ZERO, 1));
        assertThat(problems(() -> cfg("v", 1, 3, ip("203.0.113.2"), VIPS, 100, 100, null, List.of(), bad)).problems())
                .containsExactly(
                        "instance v: interface eth1: weight 255 out of -254..254",
                        "instance v: script chk: command is empty",
                        "instance v: script chk: rise and fall must be >= 1",
                        "instance v: script chk: interval must be > 0",
                        "instance v: file /tmp/x: interval must be > 0");
    }

    @Test
    void nodeRefusesDuplicateNamesAndVridsAndBadGroups() {
        InstanceConfig a = InstanceConfig.v3("vip", 51, "eth0", ip("203.0.113.2"), 100, VIPS);
        InstanceConfig b = InstanceConfig.v3("vip", 51, "eth0", ip("203.0.113.2"), 100, VIPS);
        assertThat(problems(() -> new NodeConfig(List.of(a, b), List.of())).problems()).containsExactly(
                "instance vip: name used twice", "instance vip: vrid 51 already used on eth0 for IPv4");
        InstanceConfig v6 = InstanceConfig.v3("vip6", 51, "eth0", ip("fe80::2"), 100,
                List.of(new VirtualAddress("eth0", ip("2001:db8::100"), 64, null)));
        assertThat(new NodeConfig(List.of(a, v6), List.of()).instances()).hasSize(2); // IPv4 and IPv6 VRID spaces are separate
        assertThat(problems(() -> new NodeConfig(List.of(a), List.of(new SyncGroupConfig("g", List.of("vip", "nope"), null))))
                .problems()).containsExactly("sync group g: unknown instance nope");
    }

    @Test
    void weightedTrackingInASyncGroupIsRefused() {
        InstanceConfig a = InstanceConfig.v3("vip", 51, "eth0", ip("203.0.113.2"), 100, VIPS)
                .withTracks(List.of(new TrackConfig.Interface("eth0", -50)));
        InstanceConfig b = InstanceConfig.v3("dip", 52, "eth1", ip("192.0.2.2"), 100,
                List.of(new VirtualAddress("eth1", ip("192.0.2.254"), 24, null)));
        assertThatThrownBy(() -> new NodeConfig(List.of(a, b), List.of(new SyncGroupConfig("lb", List.of("vip", "dip"), null))))
                .hasMessageContaining("instance vip: interface eth0 has weight -50 but the instance is in sync group lb");
    }

    @Test
    void addressOwnerCannotBeInASyncGroup() {
        InstanceConfig a = InstanceConfig.v3("vip", 51, "eth0", ip("203.0.113.2"), 255, VIPS);
        InstanceConfig b = InstanceConfig.v3("dip", 52, "eth1", ip("192.0.2.2"), 100,
                List.of(new VirtualAddress("eth1", ip("192.0.2.254"), 24, null)));
        assertThatThrownBy(() -> new NodeConfig(List.of(a, b), List.of(new SyncGroupConfig("lb", List.of("vip", "dip"), null))))
                .hasMessageContaining("instance vip: priority 255 (address owner) cannot be in sync group lb");
    }

    @Test
    void announcePlanIsValidated() {
        assertThatThrownBy(() -> new AnnounceConfig(0, Duration.ZERO, 0, Duration.ZERO)).hasMessageContaining("burst 0");
    }
}
