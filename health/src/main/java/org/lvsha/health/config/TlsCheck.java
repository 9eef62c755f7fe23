package org.lvsha.health.config;

/**
 * Success when a TLS handshake completes. With {@code verify} the chain is checked against {@code caFile}
 * (PEM; the JDK trust store when null) and the certificate must name {@code serverName} (or the address).
 */
public record TlsCheck(Integer port, CheckTiming timing, String serverName, Boolean verify, String caFile) implements CheckSpec {
    public TlsCheck {
        verify = verify != null && verify;
    }

    @Override
    public String describe() {
        return "tls:" + (port == null ? "rs" : port);
    }
}
