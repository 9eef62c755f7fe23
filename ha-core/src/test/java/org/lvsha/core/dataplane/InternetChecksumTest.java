package org.lvsha.core.dataplane;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.Random;

import org.junit.jupiter.api.Test;

class InternetChecksumTest {

    @Test
    void rfc1071ExampleSumsToDdf2() {
        // RFC 1071 §3: bytes 00 01 f2 03 f4 f5 f6 f7 sum to ddf2 (checksum = ~ddf2).
        ByteBuffer b = ByteBuffer.wrap(new byte[] {0x00, 0x01, (byte) 0xf2, 0x03, (byte) 0xf4, (byte) 0xf5, (byte) 0xf6, (byte) 0xf7});
        assertThat(InternetChecksum.finish(InternetChecksum.sum(b, 0, 8))).isEqualTo(~0xddf2 & 0xffff);
    }

    @Test
    void oddLengthIsPaddedWithZero() {
        ByteBuffer b = ByteBuffer.wrap(new byte[] {0x12, 0x34, 0x56});
        assertThat(InternetChecksum.sum(b, 0, 3)).isEqualTo(0x1234 + 0x5600);
    }

    @Test
    void incrementalUpdateEqualsRecomputationForRandomFieldChanges() {
        // RFC 1624 eqn. 3 must agree with a full recomputation, including the 0x0000/0xffff corner cases.
        Random r = new Random(1624);
        for (int n = 0; n < 10_000; n++) {
            ByteBuffer b = ByteBuffer.allocate(20);
            for (int i = 0; i < 20; i++) {
                b.put(i, (byte) r.nextInt());
            }
            b.putShort(10, (short) 0);
            int c = InternetChecksum.finish(InternetChecksum.sum(b, 0, 20));
            int old32 = b.getInt(12);
            int new32 = r.nextInt(4) == 0 ? ~old32 : r.nextInt();
            int updated = InternetChecksum.update32(c, old32, new32);
            b.putInt(12, new32);
            int full = InternetChecksum.finish(InternetChecksum.sum(b, 0, 20));
            // One's complement has two zeros; both verify (sum incl. checksum folds to 0xffff).
            b.putShort(10, (short) updated);
            assertThat(InternetChecksum.finish(InternetChecksum.sum(b, 0, 20))).as("round %d", n).isZero();
            if (full != 0 && full != 0xffff) {
                assertThat(updated).isEqualTo(full);
            }
        }
    }

    @Test
    void update16ChangesAPort() {
        ByteBuffer b = ByteBuffer.allocate(4).putShort(0, (short) 80).putShort(2, (short) 0);
        int c = InternetChecksum.finish(InternetChecksum.sum(b, 0, 4));
        b.putShort(0, (short) 8080);
        assertThat(InternetChecksum.update16(c, 80, 8080)).isEqualTo(InternetChecksum.finish(InternetChecksum.sum(b, 0, 4)));
    }
}
