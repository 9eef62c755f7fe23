package org.lvsha.core.platform.netlink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.lvsha.core.platform.ErrnoException;

/** Talks to the kernel's nlctrl family, which every Linux has and which needs no privileges. */
class GenericNetlinkSocketTest {

    @Test
    void resolvesFamiliesByNameAndDumpsReturnOnePayloadPerMessage() {
        try (GenericNetlinkSocket genl = GenericNetlinkSocket.open()) {
            assertThat(genl.resolveFamily("nlctrl")).isEqualTo(GenericNetlinkSocket.GENL_ID_CTRL);

            List<byte[]> families = genl.request(GenericNetlinkSocket.GENL_ID_CTRL, GenericNetlinkSocket.CTRL_CMD_GETFAMILY, 1,
                    NetlinkMessage.NLM_F_DUMP, new byte[0]);
            List<String> names = families.stream()
                    .map(p -> NetlinkAttributes.parse(ByteBuffer.wrap(p)).string(GenericNetlinkSocket.CTRL_ATTR_FAMILY_NAME))
                    .toList();
            assertThat(names).contains("nlctrl").doesNotHaveDuplicates();
            assertThat(families).hasSizeGreaterThan(1);
        }
    }

    @Test
    void kernelRefusalsNameTheRequestAndTheErrno() {
        try (GenericNetlinkSocket genl = GenericNetlinkSocket.open()) {
            assertThatThrownBy(() -> genl.resolveFamily("lvsha-nosuch"))
                    .isInstanceOf(ErrnoException.class)
                    .hasMessageStartingWith("CTRL_CMD_GETFAMILY lvsha-nosuch: ENOENT");
            assertThatThrownBy(() -> genl.request(GenericNetlinkSocket.GENL_ID_CTRL, 200, 1, 0, new byte[0]))
                    .isInstanceOf(ErrnoException.class)
                    .hasMessageStartingWith("genl family 16 cmd 200: EOPNOTSUPP");
            // The socket stays usable after errors.
            assertThat(genl.resolveFamily("nlctrl")).isEqualTo(0x10);
        }
    }
}
