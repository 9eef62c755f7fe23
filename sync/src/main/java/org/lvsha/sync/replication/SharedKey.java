package org.lvsha.sync.replication;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import javax.crypto.Mac;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * The cluster's shared secret, read from a key file, and the two keys derived from it: an AES-256
 * key for the channel encryption ({@link SharedKeyEncrypt}) and an HMAC-SHA256 key that
 * authenticates every batch and every state-transfer stream. Deriving two keys with distinct labels
 * keeps the encryption key and the authentication key independent.
 *
 * <p>The file's bytes are the secret (whitespace at the ends trimmed, so {@code head -c 32 /dev/urandom | base64 > key} works);
 * fewer than 16 bytes are refused.
 */
public final class SharedKey {
    public static final int MIN_SECRET_BYTES = 16;
    private final SecretKey encryptionKey;
    private final byte[] macKey;
    private final String fingerprint;

    private SharedKey(byte[] secret) {
        this.encryptionKey = new SecretKeySpec(derive(secret, "lvsha-sync channel encryption v1"), "AES");
        this.macKey = derive(secret, "lvsha-sync batch authentication v1");
        this.fingerprint = hex(derive(secret, "lvsha-sync key fingerprint v1"), 4);
    }

    public static SharedKey fromFile(Path file) {
        byte[] raw;
        try {
            raw = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read sync key file " + file + ": " + e.getMessage(), e);
        }
        byte[] secret = new String(raw, StandardCharsets.ISO_8859_1).strip().getBytes(StandardCharsets.ISO_8859_1);
        if (secret.length < MIN_SECRET_BYTES) {
            throw new IllegalArgumentException("sync key file " + file + " holds " + secret.length
                    + " bytes; at least " + MIN_SECRET_BYTES + " are needed");
        }
        return new SharedKey(secret);
    }

    public static SharedKey fromSecret(byte[] secret) {
        if (secret.length < MIN_SECRET_BYTES) {
            throw new IllegalArgumentException("a sync key needs at least " + MIN_SECRET_BYTES + " bytes");
        }
        return new SharedKey(secret.clone());
    }

    public SecretKey encryptionKey() {
        return encryptionKey;
    }

    /** A fresh HMAC-SHA256 instance keyed for batch authentication (Mac objects are not thread-safe). */
    public Mac newMac() {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(macKey, "HmacSHA256"));
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    /** A short public identifier of the key, for logs ("peers use key 1a2b3c4d"), not the key itself. */
    public String fingerprint() {
        return fingerprint;
    }

    private static byte[] derive(byte[] secret, String label) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(MessageDigest.getInstance("SHA-256").digest(secret), "HmacSHA256"));
            return mac.doFinal(label.getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    private static String hex(byte[] b, int n) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < n; i++) {
            s.append(String.format("%02x", b[i]));
        }
        return s.toString();
    }
}
