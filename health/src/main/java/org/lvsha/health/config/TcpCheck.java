package org.lvsha.health.config;

/** Success when a TCP connection to the port is established (the connection is then reset, leaving no TIME_WAIT). */
public record TcpCheck(Integer port, CheckTiming timing) implements CheckSpec {
    @Override
    public String describe() {
        return "tcp:" + (port == null ? "rs" : port);
    }
}
