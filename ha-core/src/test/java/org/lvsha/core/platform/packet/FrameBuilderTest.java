package org.lvsha.core.platform.packet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.lvsha.core.platform.MacAddress;

class FrameBuilderTest {
    private static final HexFormat HEX = HexFormat.of();
    private static final MacAddress MAC = MacAddress.parse("02:00:5e:01:00:03");

    @Test
    void gratuitousArpIsABroadcastRequestWithSenderAndTargetIpBothTheAnnouncedAddress() throws Exception {
        byte[] f = GratuitousArp.build(MAC, (Inet4Address) InetAddress.getByName("203.0.113.100"));
        assertThat(HEX.formatHex(f)).isEqualTo(
                "ffffffffffff" + "02005e010003" + "0806"            // Ethernet: broadcast, from us, ARP
                        + "0001" + "0800" + "06" + "04" + "0001"        // Ethernet/IPv4, request
                        + "02005e010003" + "cb007164"                   // sender MAC, sender IP
                        + "000000000000" + "cb007164");                 // target MAC zero, target IP = sender IP
    }

    @Test
    void unsolicitedNeighbourAdvertisementHasOverrideTargetOptionHopLimit255AndAValidChecksum() throws Exception {
        Inet6Address vip = (Inet6Address) InetAddress.getByName("2001:db8:0:1::100");
        byte[] f = UnsolicitedNeighbourAdvertisement.build(MAC, vip, vip);
        assertThat(f).hasSize(86);
        String hex = HEX.formatHex(f);
        assertThat(hex.substring(0, 28)).isEqualTo("333300000001" + "02005e010003" + "86dd");
        assertThat(hex.substring(28, 44)).as("IPv6: v6, payload 32, next header 58, hop limit 255").isEqualTo("60000000" + "0020" + "3a" + "ff");
        assertThat(hex.substring(44, 76)).isEqualTo("20010db8000000010000000000000100");
        assertThat(hex.substring(76, 108)).isEqualTo("ff020000000000000000000000000001");
        assertThat(hex.substring(108, 112)).as("type 136 code 0").isEqualTo("8800");
        assertThat(hex.substring(116, 124)).as("flags: Override only (not Solicited, not Router)").isEqualTo("20000000");
        assertThat(hex.substring(124, 156)).isEqualTo("20010db8000000010000000000000100");
        assertThat(hex.substring(156)).as("target link-layer address option").isEqualTo("02" + "01" + "02005e010003");

        // Independent check: the one's complement sum over pseudo-header and message, checksum included, is 0xffff.
        byte[] icmp = Arrays.copyOfRange(f, 54, 86);
        long sum = 0;
        byte[] pseudo = new byte[40];
        System.arraycopy(f, 22, pseudo, 0, 32); // source and destination addresses
        pseudo[35] = 32;
        pseudo[39] = 58;
        for (byte[] part : new byte[][] {pseudo, icmp}) {
            for (int i = 0; i < part.length; i += 2) {
                sum += ((part[i] & 0xff) << 8) | (part[i + 1] & 0xff);
            }
        }
        while (sum > 0xffff) {
            sum = (sum & 0xffff) + (sum >> 16);
        }
        assertThat(sum).isEqualTo(0xffff);
        assertThat(hex.substring(112, 116)).isNotEqualTo("0000");
    }

    @Test
    void bpfProgramJumpsEveryFailedTestToTheFinalRejectAndEncodesSockFilterLayout() {
        BpfProgram p = BpfProgram.builder().half(12, 0x88b5).u8Masked(14, 0xf0, 0x40).build();
        assertThat(p.instructions()).containsExactly(
                new BpfProgram.Instruction(0x28, 0, 0, 12),      // ldh [12]
                new BpfProgram.Instruction(0x15, 0, 4, 0x88b5),  // jeq #0x88b5, next, reject
                new BpfProgram.Instruction(0x30, 0, 0, 14),      // ldb [14]
                new BpfProgram.Instruction(0x54, 0, 0, 0xf0),    // and #0xf0
                new BpfProgram.Instruction(0x15, 0, 1, 0x40),    // jeq #0x40, next, reject
                new BpfProgram.Instruction(0x06, 0, 0, 0x40000), // ret #262144 (accept)
                new BpfProgram.Instruction(0x06, 0, 0, 0));      // ret #0 (drop)
        assertThat(HEX.formatHex(Arrays.copyOf(p.encode(), 16))).isEqualTo("2800" + "00" + "00" + "0c000000" + "1500" + "00" + "04" + "b5880000");
    }

    @Test
    void macAddressesParseAndPrintAsIpDoes() {
        assertThat(MacAddress.parse("02:00:5E:01:00:0A")).hasToString("02:00:5e:01:00:0a");
        assertThatThrownBy(() -> new MacAddress(new byte[5])).isInstanceOf(IllegalArgumentException.class);
    }
}
