package org.lvsha.health.check;

import org.lvsha.health.config.AgentCheck;
import org.lvsha.health.config.CheckSpec;
import org.lvsha.health.config.CommandCheck;
import org.lvsha.health.config.DnsCheck;
import org.lvsha.health.config.HttpCheck;
import org.lvsha.health.config.RealServerHealth;
import org.lvsha.health.config.TcpCheck;
import org.lvsha.health.config.TlsCheck;
import org.lvsha.health.config.UdpCheck;

/** Builds the checker for a configured check of a real server. */
public final class CheckerFactory {
    private final CheckTransport transport;

    public CheckerFactory(CheckTransport transport) {
        this.transport = transport;
    }

    public Checker create(RealServerHealth rs, CheckSpec spec) {
        int port = spec.port() != null ? spec.port() : rs.port();
        String hostName = spec instanceof HttpCheck h ? h.host() : spec instanceof TlsCheck t ? t.serverName() : null;
        CheckTarget target = CheckTarget.of(rs.address(), port, hostName);
        if (spec instanceof TcpCheck) {
            return new TcpConnectChecker(transport, target);
        } else if (spec instanceof HttpCheck h) {
            return new HttpChecker(transport, target, h);
        } else if (spec instanceof TlsCheck t) {
            return new TlsHandshakeChecker(transport, target, t);
        } else if (spec instanceof UdpCheck u) {
            return new UdpChecker(transport, target, u);
        } else if (spec instanceof DnsCheck d) {
            return new DnsChecker(transport, target, d);
        } else if (spec instanceof CommandCheck c) {
            return new CommandChecker(transport, target, c);
        } else if (spec instanceof AgentCheck a) {
            return new AgentChecker(transport, target, a);
        }
        throw new IllegalArgumentException("no checker for " + spec);
    }
}
