package org.lvsha.core.ipvs.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.lvsha.core.ipvs.AddressFamily;

/** Bad bytes from the kernel or /proc are refused with MalformedReplyException, never misread or crashed on. */
class MalformedInputTest {

    @Test
    void randomRepliesOnlyEverFailAsMalformed() {
        Random r = new Random(2026);
        for (int i = 0; i < 2_000; i++) {
            byte[] b = new byte[r.nextInt(64)];
            r.nextBytes(b);
            if (b.length > 0) {
                b[0] = (byte) (1 + r.nextInt(15));
            }
            for (Runnable decode : List.<Runnable>of(
                    () -> IpvsMessageCodec.decodeService(b),
                    () -> IpvsMessageCodec.decodeDestination(b, AddressFamily.INET),
                    () -> IpvsMessageCodec.decodeDaemon(b),
                    () -> IpvsMessageCodec.decodeTimeouts(b),
                    () -> IpvsMessageCodec.decodeInfo(b))) {
                try {
                    decode.run();
                } catch (MalformedReplyException expected) {
                    // the only acceptable failure
                }
            }
        }
    }

    @Test
    void nestedAndByteOrderFlagsAreIgnoredInAttributeTypes() {
        // SET_INFO with NLA_F_NESTED | NLA_F_NET_BYTEORDER set on the type field
        byte[] reply = Hex.parse("0e 01 00 00 08 00 01 c0 01 02 01 00 08 00 02 00 00 10 00 00");
        assertThat(IpvsMessageCodec.decodeInfo(reply).versionCode()).isEqualTo(0x010201);
    }

    @Test
    void aShortProcLineIsRefusedWithItsLineNumber() {
        assertThatThrownBy(() -> ProcConnectionTable.parse(List.of("Pro FromIP", "TCP C0000264 D431")))
                .isInstanceOf(MalformedReplyException.class).hasMessageContaining("line 2");
        assertThatThrownBy(() -> ProcConnectionTable.parse(List.of("Pro FromIP",
                "TCP C00002 D431 C000020A 0050 0A00000B 0050 ESTABLISHED 897")))
                .isInstanceOf(MalformedReplyException.class);
    }
}
