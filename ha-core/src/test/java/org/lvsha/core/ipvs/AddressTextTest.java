package org.lvsha.core.ipvs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.Inet6Address;

import org.junit.jupiter.api.Test;

/** Address text as glibc inet_ntop prints it, which ipvsadm -n shows. */
class AddressTextTest {

    private static String ntop(String literal) {
        return AddressText.of(AddressText.parse(literal));
    }

    @Test
    void compressesTheLongestRunOfAtLeastTwoZeroGroupsFirstRunWinningTies() {
        assertThat(ntop("2001:0db8:0000:0000:0000:0000:0000:0080")).isEqualTo("2001:db8::80");
        assertThat(ntop("2001:db8:0:1:0:0:0:1")).isEqualTo("2001:db8:0:1::1");
        assertThat(ntop("2001:db8:0:0:1:0:0:1")).isEqualTo("2001:db8::1:0:0:1");
        assertThat(ntop("2001:db8:1:1:1:1:0:1")).isEqualTo("2001:db8:1:1:1:1:0:1");
        assertThat(ntop("::")).isEqualTo("::");
        assertThat(ntop("::1")).isEqualTo("::1");
        assertThat(ntop("fe80::")).isEqualTo("fe80::");
        assertThat(ntop("FF02::8:81")).isEqualTo("ff02::8:81");
    }

    @Test
    void mappedAndCompatibleAddressesKeepADottedTailAndStayIpv6() {
        assertThat(AddressText.parse("::ffff:192.0.2.1")).isInstanceOf(Inet6Address.class);
        assertThat(ntop("::ffff:192.0.2.1")).isEqualTo("::ffff:192.0.2.1");
        assertThat(ntop("::192.0.2.1")).isEqualTo("::192.0.2.1");
    }

    @Test
    void portsAndBrackets() {
        assertThat(AddressText.withPort(AddressText.parse("192.0.2.10"), 80)).isEqualTo("192.0.2.10:80");
        assertThat(AddressText.withPort(AddressText.parse("2001:db8::80"), 443)).isEqualTo("[2001:db8::80]:443");
        assertThat(AddressText.parse("[2001:db8::1]")).isEqualTo(AddressText.parse("2001:db8::1"));
    }

    @Test
    void namesAreNotResolved() {
        assertThatThrownBy(() -> AddressText.parse("localhost")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AddressText.parse("192.0.2.256")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AddressText.parse("")).isInstanceOf(IllegalArgumentException.class);
    }
}
