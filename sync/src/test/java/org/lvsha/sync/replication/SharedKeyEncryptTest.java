package org.lvsha.sync.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.GeneralSecurityException;
import java.util.Random;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import org.jgroups.BytesMessage;
import org.jgroups.Message;
import org.jgroups.protocols.EncryptHeader;
import org.junit.jupiter.api.Test;

/** SharedKeyEncrypt's own decryption (unpadded cipher, padding checked here) against the JDK's padded one. */
class SharedKeyEncryptTest {
    final SharedKey key = SharedKey.fromSecret("0123456789abcdef-test-key".getBytes());
    final SharedKeyEncrypt encrypt = new SharedKeyEncrypt(key);
    final Random random = new Random(7);

    byte[] iv() {
        byte[] iv = new byte[16];
        random.nextBytes(iv);
        return iv;
    }

    static byte[] seal(SharedKey k, byte[] iv, byte[] plain) throws Exception {
        Cipher c = Cipher.getInstance(SharedKeyEncrypt.ALGORITHM);
        c.init(Cipher.ENCRYPT_MODE, k.encryptionKey(), new IvParameterSpec(iv));
        return c.doFinal(plain);
    }

    Message open(byte[] iv, byte[] cipherText, int offset) throws Exception {
        byte[] framed = new byte[offset + cipherText.length + 3];
        System.arraycopy(cipherText, 0, framed, offset, cipherText.length);
        Message m = new BytesMessage(null).setArray(framed, offset, cipherText.length);
        return encrypt._decrypt(null, null, m, new EncryptHeader((byte) 0, new byte[0], iv));
    }

    @Test
    void decryptsWhatThePaddedJdkCipherEncryptedAtEveryLengthAndOffset() throws Exception {
        for (int len : new int[] {1, 15, 16, 17, 31, 32, 100, 57_348, 65_000}) {
            byte[] plain = new byte[len];
            random.nextBytes(plain);
            byte[] iv = iv();
            Message m = open(iv, seal(key, iv, plain), len % 7);
            assertThat(m.getLength()).isEqualTo(len);
            assertThat(java.util.Arrays.copyOfRange(m.getArray(), m.getOffset(), m.getOffset() + m.getLength())).isEqualTo(plain);
        }
    }

    @Test
    void aTamperedPaddingOrAnotherKeyIsRefusedLikeTheJdkRefusesIt() throws Exception {
        byte[] plain = new byte[40];
        random.nextBytes(plain);
        byte[] iv = iv();
        byte[] sealed = seal(key, iv, plain);
        // flipping a bit of the next-to-last block flips the same bit of the last plaintext block: its padding
        byte[] tampered = sealed.clone();
        tampered[tampered.length - 17] ^= 1;
        assertThatThrownBy(() -> open(iv, tampered, 0)).isInstanceOf(GeneralSecurityException.class);
        Cipher jdk = Cipher.getInstance(SharedKeyEncrypt.ALGORITHM);
        jdk.init(Cipher.DECRYPT_MODE, key.encryptionKey(), new IvParameterSpec(iv));
        assertThatThrownBy(() -> jdk.doFinal(tampered)).isInstanceOf(GeneralSecurityException.class);

        assertThatThrownBy(() -> open(iv, java.util.Arrays.copyOf(sealed, sealed.length - 1), 0))
                .as("not a whole number of blocks").isInstanceOf(GeneralSecurityException.class);

        SharedKey other = SharedKey.fromSecret("another-key-of-16-bytes".getBytes());
        int refused = 0;
        for (int i = 0; i < 50; i++) {
            byte[] v = iv();
            try {
                open(v, seal(other, v, plain), 0);
            } catch (GeneralSecurityException e) {
                refused++;
            }
        }
        // padding is no authentication (a wrong key passes it about once in 256; the HMACs catch the rest)
        assertThat(refused).isGreaterThanOrEqualTo(45);
    }
}
