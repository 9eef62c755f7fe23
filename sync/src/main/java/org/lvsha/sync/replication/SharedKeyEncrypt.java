package org.lvsha.sync.replication;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import javax.crypto.Cipher;
import org.jgroups.Message;
import org.jgroups.conf.ClassConfigurator;
import org.jgroups.protocols.EncryptHeader;
import org.jgroups.protocols.SYM_ENCRYPT;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * JGroups {@code SYM_ENCRYPT} given the AES key derived from the shared key file directly (no
 * keystore on disk), counting and logging (rate-limited) every message it drops because the sender
 * used another key. Such a sender cannot join (its JOIN request is dropped here), cannot read
 * (everything above discovery is encrypted) and cannot inject.
 */
public final class SharedKeyEncrypt extends SYM_ENCRYPT {
    /** A protocol id in the range JGroups leaves to applications (≥ 1024). */
    public static final short PROTOCOL_ID = 1801;
    private static final Logger LOG = LoggerFactory.getLogger("org.lvsha.sync.security");
    private static final long LOG_INTERVAL_NANOS = 10_000_000_000L;

    static {
        ClassConfigurator.addProtocol(PROTOCOL_ID, SharedKeyEncrypt.class);
    }

    static final String ALGORITHM = "AES/CBC/PKCS5Padding";
    private static final int BLOCK = 16;

    /** Per thread (JGroups' receiving threads): the same cipher without padding, for {@link #_decrypt}. */
    private final ThreadLocal<Cipher> unpadded = ThreadLocal.withInitial(() -> {
        try {
            return Cipher.getInstance("AES/CBC/NoPadding");
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    });
    private final LongAdder wrongKeyDrops = new LongAdder();
    private final AtomicLong lastLog = new AtomicLong(System.nanoTime() - LOG_INTERVAL_NANOS);
    private volatile java.util.function.Consumer<Message> onWrongKey = m -> { };

    public SharedKeyEncrypt(SharedKey key) {
        symAlgorithm(ALGORITHM);
        symIvLength(16);
        setSecretKey(key.encryptionKey());
    }

    /** Told of every refused message (on the receiving thread; keep it short). */
    void onWrongKey(java.util.function.Consumer<Message> r) {
        this.onWrongKey = r;
    }

    public long wrongKeyDrops() {
        return wrongKeyDrops.sum();
    }

    @Override
    protected Message decrypt(Cipher cipher, Message msg) throws Exception {
        Message m;
        try {
            m = super.decrypt(cipher, msg);
        } catch (java.security.GeneralSecurityException e) {
            // bad padding or block size: ciphertext made with another key (or tampered with)
            refused(msg, "cannot decrypt: " + e.getClass().getSimpleName());
            throw e;
        }
        if (m == null) {
            refused(msg, "encrypted with a different key");
        }
        return m;
    }

    /**
     * The parent's decryption ({@value #ALGORITHM}), minus two copies of every payload — the state stream's
     * chunks included. The JDK's padded CBC decrypts into a temporary array, to strip the padding, and
     * {@code Cipher.doFinal(byte[], int, int)} then copies the result into a trimmed one; on a joining JVM
     * each fresh page of heap costs a fault (seen: these copies were a third of a joiner's allocation). Here
     * an unpadded AES/CBC cipher decrypts straight into the array the message keeps, and the PKCS#5 padding
     * is checked and cut off by length. Same key, IV and refusals as the parent (a bad block size or padding
     * throws a {@link java.security.GeneralSecurityException}: {@link #decrypt} counts it as another key's);
     * a message without payload or carrying a serialized message goes to the parent.
     */
    @Override
    protected Message _decrypt(Cipher cipher, java.security.Key key, Message msg, EncryptHeader hdr) throws Exception {
        if (!msg.hasPayload() || hdr.needsDeserialization()) {
            return super._decrypt(cipher, key, msg, hdr);
        }
        int len = msg.getLength();
        if (len == 0 || len % BLOCK != 0) {
            throw new javax.crypto.IllegalBlockSizeException("ciphertext of " + len + " bytes");
        }
        Cipher c = unpadded.get();
        // as the parent: a batch brings its cipher's key, a single message uses the current one
        initCipher(c, Cipher.DECRYPT_MODE, cipher == null ? secret_key : key, hdr.iv());
        byte[] plain = new byte[len];
        c.doFinal(msg.getArray(), msg.getOffset(), len, plain, 0);
        int pad = plain[len - 1] & 0xff;
        boolean bad = pad < 1 || pad > BLOCK;
        for (int i = len - Math.min(pad, BLOCK); i < len; i++) {
            bad |= (plain[i] & 0xff) != pad;
        }
        if (bad) {
            throw new javax.crypto.BadPaddingException("bad padding");
        }
        return msg.setArray(plain, 0, len - pad);
    }

    /**
     * Same rule as the parent (null view or member), without its unthrottled error log per message:
     * the refusal is counted and logged, rate-limited, by {@link #decrypt}.
     */
    @Override
    protected boolean inView(org.jgroups.Address sender, String errorMessage) {
        org.jgroups.View v = view;
        return v == null || v.containsMember(sender);
    }

    private void refused(Message msg, String why) {
        wrongKeyDrops.increment();
        onWrongKey.accept(msg);
        long now = System.nanoTime();
        long last = lastLog.get();
        if (now - last >= LOG_INTERVAL_NANOS && lastLog.compareAndSet(last, now)) {
            LOG.warn("sync: refused message from {} ({}); {} such messages so far — is that node's sync key file different?",
                    msg.getSrc(), why, wrongKeyDrops.sum());
        }
    }
}
