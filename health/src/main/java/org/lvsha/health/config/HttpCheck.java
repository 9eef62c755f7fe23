package org.lvsha.health.config;

import java.util.List;
import java.util.Locale;

/**
 * An HTTP or HTTPS request; success when the whole response arrives within the timeout, its status is in
 * one of {@code expectStatus} (default 200-299), and the body matches {@code bodyRegex} (a find, not a full
 * match) and/or has the hex {@code bodyDigest} under {@code digestAlgorithm} (MD5 or SHA-256).
 *
 * @param tls          true for HTTPS
 * @param verifyTls    verify the server certificate against {@code caFile} (or the JDK's trust store when null)
 * @param host         Host header and TLS SNI name (default: the real server's address)
 * @param maxBodyBytes a longer body fails the check (default 1 MiB)
 */
public record HttpCheck(Integer port, CheckTiming timing, Boolean tls, String method, String path, String host,
                        List<StatusRange> expectStatus, String bodyRegex, String bodyDigest, String digestAlgorithm,
                        Boolean verifyTls, String caFile, Integer maxBodyBytes) implements CheckSpec {
    public HttpCheck {
        method = method == null ? "GET" : method.toUpperCase(Locale.ROOT);
        path = path == null ? "/" : path;
        tls = tls != null && tls;
        verifyTls = verifyTls != null && verifyTls;
        expectStatus = expectStatus == null || expectStatus.isEmpty() ? List.of(new StatusRange(200, 299)) : List.copyOf(expectStatus);
        digestAlgorithm = digestAlgorithm == null ? "SHA-256" : digestAlgorithm.toUpperCase(Locale.ROOT);
        if (!digestAlgorithm.equals("SHA-256") && !digestAlgorithm.equals("MD5")) {
            throw new IllegalArgumentException("digestAlgorithm must be MD5 or SHA-256: " + digestAlgorithm);
        }
        maxBodyBytes = maxBodyBytes == null ? 1 << 20 : maxBodyBytes;
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("path must start with '/': " + path);
        }
    }

    public static HttpCheck get(Integer port, String path) {
        return new HttpCheck(port, null, false, "GET", path, null, null, null, null, null, null, null, null);
    }

    public boolean statusAccepted(int status) {
        for (StatusRange r : expectStatus) {
            if (r.contains(status)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String describe() {
        return (tls ? "https:" : "http:") + (port == null ? "rs" : port) + path;
    }
}
