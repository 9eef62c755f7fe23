package org.lvsha.vrrp.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.lvsha.vrrp.codec.VrrpCodecTest.ip;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.lvsha.core.net.VirtualAddress;
import org.lvsha.vrrp.config.InstanceConfig;

/** The instance-dependent receive checks of RFC 5798 §7.1 and RFC 3768 §7.1. */
class AdvertCheckTest {
    static final List<VirtualAddress> VIPS = List.of(new VirtualAddress("eth0", ip("203.0.113.100"), 24, null));
    static final InstanceConfig V3 = InstanceConfig.v3("vip", 51, "eth0", ip("203.0.113.2"), 100, VIPS);
    static final byte[] SECRET = {'s', 'e', 'c', 'r', 'e', 't', 0, 0};

    static VrrpPacket v3(int prio, InetAddress from, List<InetAddress> addrs) {
        return new VrrpPacket(3, 51, prio, 100, 0, null, addrs, from);
    }

    static VrrpPacket v2(int authType, byte[] auth, int seconds) {
        return new VrrpPacket(2, 51, 100, seconds, authType, auth, List.of(ip("203.0.113.100")), ip("203.0.113.3"));
    }

    @Test
    void aMatchingAdvertPasses() {
        AdvertCheck c = new AdvertCheck(V3);
        VrrpPacket p = v3(200, ip("203.0.113.3"), List.of(ip("203.0.113.100")));
        assertThat(c.check(p)).isNull();
        assertThat(c.addressListMatches(p)).isTrue();
    }

    @Test
    void versionOtherThanTheInstancesIsRejected() {
        assertThat(new AdvertCheck(V3).check(v2(0, new byte[8], 1))).isEqualTo(RejectReason.BAD_VERSION);
    }

    @Test
    void ourOwnLoopedBackAdvertIsRejected() {
        assertThat(new AdvertCheck(V3).check(v3(100, ip("203.0.113.2"), List.of(ip("203.0.113.100"))))).isEqualTo(RejectReason.OWN_ADVERT);
    }

    @Test
    void withUnicastPeersOnlyThoseAreHeard() {
        AdvertCheck c = new AdvertCheck(V3.withUnicastPeers(List.of(ip("203.0.113.3"))));
        assertThat(c.check(v3(100, ip("203.0.113.3"), List.of(ip("203.0.113.100"))))).isNull();
        assertThat(c.check(v3(100, ip("203.0.113.9"), List.of(ip("203.0.113.100"))))).isEqualTo(RejectReason.UNKNOWN_PEER);
    }

    @Test
    void addressOwnerDiscardsAllAdverts() {
        assertThat(new AdvertCheck(V3.withPriority(255)).check(v3(254, ip("203.0.113.3"), List.of(ip("203.0.113.100")))))
                .isEqualTo(RejectReason.OWNER_DISCARD);
    }

    @Test
    void addressListDifferenceIsOnlyReportedNotRejected() {
        AdvertCheck c = new AdvertCheck(V3);
        VrrpPacket extra = v3(200, ip("203.0.113.3"), List.of(ip("203.0.113.100"), ip("203.0.113.101")));
        VrrpPacket other = v3(200, ip("203.0.113.3"), List.of(ip("203.0.113.101")));
        assertThat(c.check(extra)).isNull();
        assertThat(c.addressListMatches(extra)).isFalse();
        assertThat(c.addressListMatches(other)).isFalse();
    }

    @Test
    void v2AuthTypeAndPasswordMustMatch() {
        AdvertCheck withPassword = new AdvertCheck(V3.asV2("secret"));
        AdvertCheck without = new AdvertCheck(V3.asV2(null));
        assertThat(withPassword.check(v2(1, SECRET, 1))).isNull();
        assertThat(withPassword.check(v2(1, new byte[] {'s', 'e', 'c', 'r', 'e', 'x', 0, 0}, 1))).isEqualTo(RejectReason.AUTH_MISMATCH);
        assertThat(withPassword.check(v2(0, new byte[8], 1))).isEqualTo(RejectReason.AUTH_MISMATCH);
        assertThat(without.check(v2(1, SECRET, 1))).isEqualTo(RejectReason.AUTH_MISMATCH);
        assertThat(without.check(v2(0, SECRET, 1))).isNull(); // type 0: auth data is ignored
    }

    @Test
    void v2AdvertIntervalMustEqualOurs() {
        assertThat(new AdvertCheck(V3.asV2(null)).check(v2(0, new byte[8], 2))).isEqualTo(RejectReason.INTERVAL_MISMATCH);
    }

    @Test
    void v3IntervalDifferenceIsAccepted() {
        VrrpPacket fast = new VrrpPacket(3, 51, 200, 10, 0, null, List.of(ip("203.0.113.100")), ip("203.0.113.3"));
        assertThat(new AdvertCheck(V3).check(fast)).isNull(); // RFC 5798 §6.4.2: the backup adopts it instead
    }
}
