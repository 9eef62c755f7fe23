package org.lvsha.health.check;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.io.File;
import javax.net.ssl.SSLException;

/** Client TLS contexts for the HTTPS and TLS checkers (built once per checker, not per probe). */
final class TlsClientContexts {
    private TlsClientContexts() {
    }

    /**
     * With {@code verify}, the chain must lead to {@code caFile} (PEM) or the JDK trust store, and the
     * certificate must name the host (RFC 2818 identity check); without, any certificate is accepted.
     */
    static SslContext client(boolean verify, String caFile) {
        try {
            SslContextBuilder b = SslContextBuilder.forClient();
            if (verify) {
                if (caFile != null) {
                    b.trustManager(new File(caFile));
                }
                b.endpointIdentificationAlgorithm("HTTPS");
            } else {
                b.trustManager(InsecureTrustManagerFactory.INSTANCE).endpointIdentificationAlgorithm(null);
            }
            return b.build();
        } catch (SSLException | IllegalArgumentException e) {
            throw new IllegalArgumentException("cannot build TLS client context" + (caFile == null ? "" : " from CA file " + caFile)
                    + ": " + e.getMessage(), e);
        }
    }
}
