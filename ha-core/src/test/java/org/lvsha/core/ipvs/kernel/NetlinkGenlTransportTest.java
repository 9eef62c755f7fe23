package org.lvsha.core.ipvs.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The transport on this host's kernel, through the nlctrl family that every Linux has (no privileges, no ip_vs):
 * kernel refusals come back as errnos in the reply, replies keep their genlmsghdr. The IPVS family itself is
 * exercised in dist's KernelInteropTest, on a kernel that has it.
 */
class NetlinkGenlTransportTest {

    private static final int GENL_ID_CTRL = 0x10;
    private static final int CTRL_CMD_NEWFAMILY = 1;
    private static final int CTRL_CMD_GETFAMILY = 3;

    @Test
    void startingASyncDaemonMayTakeLongerThanOtherCommandsAndAnUnansweredStopIsCheckedSoon() {
        assertThat(NetlinkGenlTransport.timeoutMillis(IpvsGenl.CMD_NEW_DAEMON)).isEqualTo(NetlinkGenlTransport.DAEMON_TIMEOUT_MILLIS);
        assertThat(NetlinkGenlTransport.timeoutMillis(IpvsGenl.CMD_DEL_DAEMON)).isEqualTo(1_000);
        assertThat(NetlinkGenlTransport.timeoutMillis(IpvsGenl.CMD_GET_DAEMON)).isEqualTo(5_000);
        assertThat(NetlinkGenlTransport.DAEMON_TIMEOUT_MILLIS).isGreaterThan(5_000);
    }

    @Test
    void anUnknownFamilyIsANegativeErrnoNotAnException() {
        try (NetlinkGenlTransport t = NetlinkGenlTransport.open()) {
            assertThat(t.resolveFamily("lvsha-nosuch")).isEqualTo(-2); // ENOENT, as for IPVS without ip_vs
            assertThat(t.resolveFamily("nlctrl")).isEqualTo(GENL_ID_CTRL);
        }
    }

    @Test
    void repliesKeepTheirGenlHeaderAndRefusalsBecomeErrnos() {
        try (NetlinkGenlTransport t = NetlinkGenlTransport.open()) {
            byte[] name = new NetlinkAttributeWriter().string(2, "nlctrl").toByteArray(); // CTRL_ATTR_FAMILY_NAME
            GenlReply r = t.request(GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 1, IpvsGenl.NLM_F_ACK, name);
            assertThat(r.errno()).isZero();
            assertThat(r.messages()).hasSize(1);
            assertThat(r.messages().get(0)[0]).isEqualTo((byte) CTRL_CMD_NEWFAMILY); // the reply's genlmsghdr cmd
            assertThat(NetlinkAttributes.parse(r.messages().get(0), 4, r.messages().get(0).length - 4).u16(1)).isEqualTo(GENL_ID_CTRL);

            GenlReply refused = t.request(GENL_ID_CTRL, 200, 1, IpvsGenl.NLM_F_ACK, new byte[0]);
            assertThat(refused.errno()).isEqualTo(95); // EOPNOTSUPP: no such command
            assertThat(refused.messages()).isEmpty();

            GenlReply dump = t.request(GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 1, IpvsGenl.NLM_F_DUMP, new byte[0]);
            assertThat(dump.messages()).hasSizeGreaterThan(1);
        }
    }
}
