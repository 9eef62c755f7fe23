package org.lvsha.core.platform.rtnl;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HexFormat;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.lvsha.core.platform.netlink.NetlinkAttributeWriter;
import org.lvsha.core.platform.netlink.NetlinkMessage;

class RtNetlinkCodecTest {
    private static final HexFormat HEX = HexFormat.of();

    @BeforeAll
    static void littleEndianHost() {
        assertThat(ByteOrder.nativeOrder()).isEqualTo(ByteOrder.LITTLE_ENDIAN);
    }

    @Test
    void ipv4AddressRequestCarriesLocalAddressLabelAndPrefixLikeIpAddrAdd() throws Exception {
        InterfaceAddress a = InterfaceAddress.of(3, InetAddress.getByName("192.0.2.100"), 24).withLabel("eth0:0");
        assertThat(HEX.formatHex(a.ifaddrmsg())).isEqualTo("02" + "18" + "00" + "00" + "03000000");
        assertThat(HEX.formatHex(a.requestAttributes())).isEqualTo(
                "0800" + "0200" + "c0000264"                     // IFA_LOCAL
                        + "0800" + "0100" + "c0000264"           // IFA_ADDRESS
                        + "0b00" + "0300" + "657468303a3000" + "00"); // IFA_LABEL "eth0:0\0"
    }

    @Test
    void ipv6NodadRequestSetsTheFlagInIfaFlagsToo() throws Exception {
        InterfaceAddress a = InterfaceAddress.of(2, InetAddress.getByName("2001:db8:0:1::100"), 64)
                .withFlags(InterfaceAddress.IFA_F_NODAD | InterfaceAddress.IFA_F_NOPREFIXROUTE);
        assertThat(HEX.formatHex(a.ifaddrmsg())).isEqualTo("0a" + "40" + "02" + "00" + "02000000");
        assertThat(HEX.formatHex(a.requestAttributes())).endsWith("0800" + "0800" + "02020000");
    }

    @Test
    void addressLinkAndNeighbourMessagesParseFromKernelLayout() throws Exception {
        byte[] addrAttrs = new NetlinkAttributeWriter()
                .put(1, InetAddress.getByName("198.51.100.9").getAddress())
                .put(2, InetAddress.getByName("198.51.100.7").getAddress())
                .putString(3, "eth1:0")
                .putU32(8, 0x81)
                .toByteArray();
        NetlinkMessage addr = parse(RtNetlink.RTM_NEWADDR, HEX.parseHex("02" + "18" + "81" + "00" + "05000000"), addrAttrs);
        InterfaceAddress ia = InterfaceAddress.parse(addr);
        assertThat(ia.address()).as("IFA_LOCAL wins over a peer IFA_ADDRESS").isEqualTo(InetAddress.getByName("198.51.100.7"));
        assertThat(ia.prefixLength()).isEqualTo(24);
        assertThat(ia.ifIndex()).isEqualTo(5);
        assertThat(ia.label()).isEqualTo("eth1:0");
        assertThat(ia.flags()).isEqualTo(0x81);
        assertThat(ia.cidr()).isEqualTo("198.51.100.7/24");

        byte[] linkAttrs = new NetlinkAttributeWriter()
                .putString(3, "eth0").putU32(4, 9000)
                .put(1, HEX.parseHex("02005e010002")).putU8(16, 6).toByteArray();
        // ifinfomsg: family 0, type 1 (ARPHRD_ETHER), index 7, flags UP|BROADCAST|RUNNING|MULTICAST|LOWER_UP
        NetlinkMessage linkMsg = parse(RtNetlink.RTM_NEWLINK, HEX.parseHex("0000" + "0100" + "07000000" + "43100100" + "00000000"), linkAttrs);
        Link link = Link.parse(linkMsg);
        assertThat(link).isEqualTo(new Link(7, "eth0", org.lvsha.core.platform.MacAddress.parse("02:00:5e:01:00:02"), 9000, OperState.UP, 0x11043));
        assertThat(link.isRunning()).isTrue();

        byte[] neighAttrs = new NetlinkAttributeWriter()
                .put(1, InetAddress.getByName("2001:db8:0:1::100").getAddress())
                .put(2, HEX.parseHex("02005e010003")).toByteArray();
        NetlinkMessage neighMsg = parse(RtNetlink.RTM_NEWNEIGH, HEX.parseHex("0a000000" + "04000000" + "0400" + "00" + "01"), neighAttrs);
        Neighbour n = Neighbour.parse(neighMsg);
        assertThat(n.ifIndex()).isEqualTo(4);
        assertThat(n.address()).isEqualTo(InetAddress.getByName("2001:db8:0:1::100"));
        assertThat(n.mac()).hasToString("02:00:5e:01:00:03");
        assertThat(n.stateName()).isEqualTo("STALE");
    }

    private static NetlinkMessage parse(int type, byte[] fixed, byte[] attrs) {
        return NetlinkMessage.parseAll(ByteBuffer.wrap(NetlinkMessage.encode(type, 0, 1, 0, fixed, attrs))).get(0);
    }
}
