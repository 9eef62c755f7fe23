package org.lvsha.core.platform.netlink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Byte vectors are written little-endian: netlink is host order and every supported target is LE. */
class NetlinkCodecTest {
    private static final HexFormat HEX = HexFormat.of();

    @BeforeAll
    static void littleEndianHost() {
        assertThat(ByteOrder.nativeOrder()).isEqualTo(ByteOrder.LITTLE_ENDIAN);
    }

    @Test
    void messageHeaderFixedHeaderAndAttributesAreLaidOutAndPaddedAsNlmsgAlignWants() {
        byte[] attrs = new NetlinkAttributeWriter().putString(3, "eth0").putU8(16, 6).toByteArray();
        // "eth0\0" is 5 bytes: nla_len 9, padded to 12. The u8 attribute: nla_len 5, padded to 8.
        assertThat(HEX.formatHex(attrs)).isEqualTo("0900" + "0300" + "6574683000" + "000000" + "0500" + "1000" + "06" + "000000");
        byte[] msg = NetlinkMessage.encode(18, NetlinkMessage.NLM_F_REQUEST | NetlinkMessage.NLM_F_ACK, 7, 0, new byte[] {1, 2, 3}, attrs);
        assertThat(HEX.formatHex(msg)).isEqualTo(
                "28000000" + "1200" + "0500" + "07000000" + "00000000" // len 40, type 18, flags 5, seq 7, pid 0
                        + "01020300"                                    // 3-byte fixed header padded to 4
                        + HEX.formatHex(attrs));
    }

    @Test
    void nestedAttributesCarryTheirTotalLengthAndParseBack() {
        byte[] attrs = new NetlinkAttributeWriter()
                .beginNested(1 | NetlinkAttributes.NLA_F_NESTED)
                .putU32(2, 0xdeadbeef)
                .putU16(3, 80)
                .endNested()
                .putBe16(4, 80)
                .toByteArray();
        assertThat(HEX.formatHex(attrs)).isEqualTo(
                "1400" + "0180" + "0800" + "0200" + "efbeadde" + "0600" + "0300" + "5000" + "0000"
                        + "0600" + "0400" + "0050" + "0000");
        NetlinkAttributes parsed = NetlinkAttributes.parse(ByteBuffer.wrap(attrs));
        assertThat(parsed.list()).extracting(NetlinkAttributes.Attribute::type).containsExactly(1, 4);
        NetlinkAttributes inner = parsed.nested(1);
        assertThat(inner.u32(2)).isEqualTo(0xdeadbeef);
        assertThat(inner.u16(3)).isEqualTo(80);
        assertThat(parsed.bytes(4)).containsExactly(0x00, 0x50);
    }

    @Test
    void severalMessagesInOneBufferParseInOrderIncludingAnUnpaddedLastAttribute() {
        byte[] one = NetlinkMessage.encode(16, NetlinkMessage.NLM_F_MULTI, 9, 1234, new byte[0], new NetlinkAttributeWriter().putU32(4, 1500).toByteArray());
        byte[] done = NetlinkMessage.encode(NetlinkMessage.NLMSG_DONE, NetlinkMessage.NLM_F_MULTI, 9, 1234, new byte[4], new byte[0]);
        ByteBuffer both = ByteBuffer.allocate(one.length + done.length).put(one).put(done).flip();
        List<NetlinkMessage> msgs = NetlinkMessage.parseAll(both);
        assertThat(msgs).extracting(NetlinkMessage::type).containsExactly(16, NetlinkMessage.NLMSG_DONE);
        assertThat(msgs.get(0).sequence()).isEqualTo(9);
        assertThat(msgs.get(0).portId()).isEqualTo(1234);
        assertThat(msgs.get(0).attributes(0).u32(4)).isEqualTo(1500);

        // A final attribute whose padding was left off (allowed at the end of a message).
        byte[] unpadded = HEX.parseHex("0500" + "0700" + "2a");
        assertThat(NetlinkAttributes.parse(ByteBuffer.wrap(unpadded)).u8(7)).isEqualTo(42);
    }

    @Test
    void errorMessageCarriesTheNegativeErrnoAndTheKernelsExtendedAckText() {
        // NLMSG_ERROR, flags CAPPED|ACK_TLVS: int error = -17, echoed header (16 bytes), NLMSGERR_ATTR_MSG.
        byte[] echoed = NetlinkMessage.encode(20, 0x605, 3, 0, new byte[8], new byte[0]);
        byte[] tlv = new NetlinkAttributeWriter().putString(NetlinkMessage.NLMSGERR_ATTR_MSG, "address exists").toByteArray();
        ByteBuffer payload = ByteBuffer.allocate(4 + 16 + tlv.length).order(ByteOrder.LITTLE_ENDIAN);
        payload.putInt(-17).put(echoed, 0, 16).put(tlv);
        byte[] err = NetlinkMessage.encode(NetlinkMessage.NLMSG_ERROR, NetlinkMessage.NLM_F_CAPPED | NetlinkMessage.NLM_F_ACK_TLVS, 3, 0, new byte[0], payload.array());
        NetlinkMessage m = NetlinkMessage.parseAll(ByteBuffer.wrap(err)).get(0);
        assertThat(m.errorCode()).isEqualTo(-17);
        assertThat(m.extendedAckMessage()).isEqualTo("address exists");

        // A plain ack: error 0, uncapped echo of a 24-byte request, no TLVs.
        ByteBuffer ack = ByteBuffer.allocate(4 + 24).order(ByteOrder.LITTLE_ENDIAN).putInt(0).put(NetlinkMessage.encode(20, 5, 4, 0, new byte[8], new byte[0]));
        NetlinkMessage a = NetlinkMessage.parseAll(ByteBuffer.wrap(NetlinkMessage.encode(2, 0, 4, 0, new byte[0], ack.array()))).get(0);
        assertThat(a.errorCode()).isZero();
        assertThat(a.extendedAckMessage()).isNull();
    }

    @Test
    void malformedInputIsRejectedWithTheOffendingLengthNotReadPastTheEnd() {
        assertThatThrownBy(() -> NetlinkMessage.parseAll(ByteBuffer.wrap(HEX.parseHex("ff000000" + "1000" + "0000" + "0000000000000000"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("length 255");
        assertThatThrownBy(() -> NetlinkMessage.parseAll(ByteBuffer.wrap(HEX.parseHex("08000000" + "1000" + "0000" + "0000000000000000"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("length 8");
        assertThatThrownBy(() -> NetlinkMessage.parseAll(ByteBuffer.wrap(new byte[7])))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("truncated");
        assertThatThrownBy(() -> NetlinkAttributes.parse(ByteBuffer.wrap(HEX.parseHex("0900" + "0300" + "6574"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("length 9");
        assertThatThrownBy(() -> NetlinkAttributes.parse(ByteBuffer.wrap(HEX.parseHex("0200" + "0300"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("length 2");
        NetlinkAttributes shortValue = NetlinkAttributes.parse(ByteBuffer.wrap(HEX.parseHex("0600" + "0100" + "0100" + "0000")));
        assertThatThrownBy(() -> shortValue.u32(1)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("expected 4");
        assertThatThrownBy(() -> shortValue.u8(9)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("missing");
        assertThatThrownBy(() -> new NetlinkAttributeWriter().beginNested(1).toByteArray()).isInstanceOf(IllegalStateException.class);
    }
}
