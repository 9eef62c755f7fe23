package org.lvsha.health.testing;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import org.lvsha.health.check.CheckTransport;

/**
 * The application side of a real server for namespace tests, run as its own process in the real server's
 * namespace: {@code RealServerApps ADDRESS KEYSTORE.p12} serves on ADDRESS HTTP on port 80 and HTTPS on 443
 * ({@link TestWebServers}, the key store's certificate, password {@code changeit}), DNS on 53 ({@code www.example}
 * A 192.0.2.80, NXDOMAIN otherwise) and three agents: 5551 reports {@code 50%}, 5552 {@code drain}, 5553
 * {@code down}. Prints READY and runs until killed.
 */
public final class RealServerApps {
    public static final int HTTP = 80;
    public static final int HTTPS = 443;
    public static final int DNS = 53;
    public static final int AGENT_HALF = 5551;
    public static final int AGENT_DRAIN = 5552;
    public static final int AGENT_DOWN = 5553;

    private RealServerApps() {
    }

    public static void main(String[] args) throws Exception {
        InetAddress address = InetAddress.getByName(args[0]);
        TestCertificate cert = new TestCertificate(Path.of(args[1]), null, "changeit".toCharArray());
        TestWebServers.http(new InetSocketAddress(address, HTTP));
        TestWebServers.https(new InetSocketAddress(address, HTTPS), cert.serverContext());
        CheckTransport transport = CheckTransport.create(1, 1);
        TestDnsServer dns = new TestDnsServer(transport, new InetSocketAddress(address, DNS));
        dns.put("www.example", "192.0.2.80");
        new LineServer("50%\n", new InetSocketAddress(address, AGENT_HALF));
        new LineServer("drain\n", new InetSocketAddress(address, AGENT_DRAIN));
        new LineServer("down\n", new InetSocketAddress(address, AGENT_DOWN));
        System.out.println("READY");
        System.out.flush();
        Thread.currentThread().join(); // the servers' threads are daemons
    }
}
