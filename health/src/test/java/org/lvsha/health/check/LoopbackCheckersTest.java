package org.lvsha.health.check;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lvsha.health.config.AgentCheck;
import org.lvsha.health.config.CheckSpec;
import org.lvsha.health.config.CommandCheck;
import org.lvsha.health.config.DnsCheck;
import org.lvsha.health.config.HttpCheck;
import org.lvsha.health.config.RealServerHealth;
import org.lvsha.health.config.StatusRange;
import org.lvsha.health.config.TcpCheck;
import org.lvsha.health.config.TlsCheck;
import org.lvsha.health.config.UdpCheck;
import org.lvsha.health.testing.LineServer;
import org.lvsha.health.testing.TestCertificate;
import org.lvsha.health.testing.TestDnsServer;
import org.lvsha.health.testing.TestWebServers;

/** Each checker against a real server on loopback, with the failure injected on the server side. */
class LoopbackCheckersTest {
    private static final String LOOPBACK = "127.0.0.1";
    /** For the probes that must time out (a dribbling server, a mute peer, a hung command): short, to be quick. */
    private static final Duration TIMEOUT = Duration.ofMillis(800);
    /**
     * For every probe that must get an answer (up, or down for a reason other than a timeout): a first TLS handshake,
     * a first use of a Netty pipeline or a forked command can take a second on a loaded machine, and a probe that
     * times out there would fail the test for the wrong reason. A long timeout costs nothing when the answer comes.
     */
    private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(10);
    private static CheckTransport transport;
    private static CheckerFactory factory;
    private static HttpServer http;
    private static HttpsServer https;
    private static TestCertificate good;
    private static TestCertificate other;
    @TempDir
    static Path dir;

    @BeforeAll
    static void servers() throws Exception {
        transport = CheckTransport.create(1, 2);
        factory = new CheckerFactory(transport);
        http = TestWebServers.http(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        good = TestCertificate.create(dir, "rs1", "dns:rs1.example,ip:127.0.0.1");
        other = TestCertificate.create(dir, "stranger", "dns:stranger.example");
        https = TestWebServers.https(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), good.serverContext());
    }

    @AfterAll
    static void stop() {
        http.stop(0);
        https.stop(0);
        transport.close();
    }

    private static CheckResult probe(CheckSpec spec, int port) {
        return probe(spec, port, ANSWER_TIMEOUT);
    }

    private static CheckResult probe(CheckSpec spec, int port, Duration timeout) {
        RealServerHealth rs = RealServerHealth.of(LOOPBACK, port, 10, spec);
        Checker c = factory.create(rs, spec);
        return BoundedProbe.run(c, transport.group().next(), timeout).orTimeout(20, TimeUnit.SECONDS).join();
    }

    private static HttpCheck httpGet(String path) {
        return HttpCheck.get(null, path);
    }

    private static int closedTcpPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    // ---- TCP

    @Test
    void tcpConnectToAListenerIsUp() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            assertThat(probe(new TcpCheck(null, null), s.getLocalPort()).isUp()).isTrue();
        }
    }

    @Test
    void tcpConnectWorksOverIpv6() throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress(InetAddress.getByName("::1"), 0), 50);
            RealServerHealth rs = RealServerHealth.of("::1", s.getLocalPort(), 10, new TcpCheck(null, null));
            assertThat(rs.id()).isEqualTo("[::1]:" + s.getLocalPort());
            CheckResult r = BoundedProbe.run(factory.create(rs, rs.checks().get(0)), transport.group().next(), ANSWER_TIMEOUT)
                    .orTimeout(10, TimeUnit.SECONDS).join();
            assertThat(r.isUp()).as(r.detail()).isTrue();
        } catch (java.net.SocketException e) {
            org.junit.jupiter.api.Assumptions.abort("no IPv6 loopback here: " + e.getMessage());
        }
    }

    @Test
    void tcpConnectToAStoppedServerIsRefused() throws IOException {
        CheckResult r = probe(new TcpCheck(null, null), closedTcpPort());
        assertThat(r.reason()).isEqualTo(FailureReason.CONNECT_REFUSED);
    }

    // ---- HTTP

    @Test
    void httpWithAnAcceptedStatusAndMatchingBodyIsUp() {
        HttpCheck spec = new HttpCheck(null, null, false, "GET", "/ok", null, null, "^ok$", null, null, null, null, null);
        CheckResult r = probe(spec, http.getAddress().getPort());
        assertThat(r.isUp()).as(r.detail()).isTrue();
    }

    @Test
    void httpWithAWrongStatusIsDown() {
        CheckResult r = probe(httpGet("/unavailable"), http.getAddress().getPort());
        assertThat(r.reason()).isEqualTo(FailureReason.WRONG_STATUS);
        assertThat(r.detail()).contains("503");
    }

    @Test
    void httpStatusRangesDecideWhatIsAccepted() {
        HttpCheck spec = new HttpCheck(null, null, false, "GET", "/unavailable", null, List.of(StatusRange.parse("200-299"), StatusRange.of(503)),
                null, null, null, null, null, null);
        assertThat(probe(spec, http.getAddress().getPort()).isUp()).isTrue();
    }

    @Test
    void httpWithAWrongBodyIsDown() {
        HttpCheck spec = new HttpCheck(null, null, false, "GET", "/maintenance", null, null, "^ok$", null, null, null, null, null);
        assertThat(probe(spec, http.getAddress().getPort()).reason()).isEqualTo(FailureReason.WRONG_BODY);
    }

    @Test
    void httpBodyDigestMustMatch() throws Exception {
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest("ok\n".getBytes(StandardCharsets.UTF_8)));
        String md5 = HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest("ok\n".getBytes(StandardCharsets.UTF_8)));
        int port = http.getAddress().getPort();
        assertThat(probe(new HttpCheck(null, null, false, "GET", "/ok", null, null, null, sha, null, null, null, null), port).isUp()).isTrue();
        assertThat(probe(new HttpCheck(null, null, false, "GET", "/ok", null, null, null, md5, "md5", null, null, null), port).isUp()).isTrue();
        assertThat(probe(new HttpCheck(null, null, false, "GET", "/maintenance", null, null, null, sha, null, null, null, null), port).reason())
                .isEqualTo(FailureReason.WRONG_BODY);
    }

    @Test
    void httpSendsTheConfiguredHostHeader() {
        HttpCheck spec = new HttpCheck(null, null, false, "GET", "/host", "www.example", null, "host=www\\.example:\\d+", null, null, null, null, null);
        CheckResult r = probe(spec, http.getAddress().getPort());
        assertThat(r.isUp()).as(r.detail()).isTrue();
    }

    @Test
    void httpResponseLargerThanTheLimitIsDown() {
        HttpCheck spec = new HttpCheck(null, null, false, "GET", "/big", null, null, null, null, null, null, null, 1000);
        assertThat(probe(spec, http.getAddress().getPort()).reason()).isEqualTo(FailureReason.BODY_TOO_LARGE);
    }

    @Test
    void httpFromAServerThatDribblesItsResponseTimesOut() {
        CheckResult r = probe(httpGet("/dribble"), http.getAddress().getPort(), TIMEOUT);
        assertThat(r.reason()).isEqualTo(FailureReason.TIMEOUT);
    }

    @Test
    void httpAcceptsAResponseDelimitedByTheServerClosing() throws IOException {
        try (LineServer old = new LineServer("HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nall ok\n")) {
            HttpCheck spec = new HttpCheck(null, null, false, "GET", "/", null, null, "all ok", null, null, null, null, null);
            CheckResult r = probe(spec, old.port());
            assertThat(r.isUp()).as(r.detail()).isTrue();
        }
    }

    @Test
    void httpGarbageInsteadOfAResponseIsDown() throws IOException {
        try (LineServer garbage = new LineServer("SSH-2.0-OpenSSH_9.6\r\n")) {
            assertThat(probe(httpGet("/"), garbage.port()).isDown()).isTrue();
        }
    }

    @Test
    void httpToAServerThatClosesWithoutAnswerIsDown() throws IOException {
        try (LineServer mute = new LineServer("")) {
            assertThat(probe(httpGet("/"), mute.port()).reason()).isEqualTo(FailureReason.CLOSED_EARLY);
        }
    }

    @Test
    void httpsWithATrustedCertificateIsUp() {
        HttpCheck spec = new HttpCheck(null, null, true, "GET", "/ok", "rs1.example", null, "secure", null, null, true, good.pem().toString(), null);
        CheckResult r = probe(spec, https.getAddress().getPort());
        assertThat(r.isUp()).as(r.detail()).isTrue();
    }

    // ---- TLS

    @Test
    void tlsHandshakeWithoutVerificationAcceptsASelfSignedCertificate() {
        CheckResult r = probe(new TlsCheck(null, null, "rs1.example", false, null), https.getAddress().getPort());
        assertThat(r.isUp()).as(r.detail()).isTrue();
    }

    @Test
    void tlsHandshakeVerifiedAgainstTheRightCaIsUp() {
        CheckResult r = probe(new TlsCheck(null, null, "rs1.example", true, good.pem().toString()), https.getAddress().getPort());
        assertThat(r.isUp()).as(r.detail()).isTrue();
    }

    @Test
    void tlsWithACertificateFromAnotherCaIsDown() {
        CheckResult r = probe(new TlsCheck(null, null, "rs1.example", true, other.pem().toString()), https.getAddress().getPort());
        assertThat(r.reason()).isEqualTo(FailureReason.TLS_ERROR);
    }

    @Test
    void tlsWithACertificateForAnotherNameIsDown() {
        CheckResult r = probe(new TlsCheck(null, null, "wrong.example", true, good.pem().toString()), https.getAddress().getPort());
        assertThat(r.reason()).isEqualTo(FailureReason.TLS_ERROR);
    }

    @Test
    void tlsSendsTheConfiguredServerNameForSni() throws Exception {
        java.security.KeyStore store = java.security.KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(good.keyStore())) {
            store.load(in, good.password());
        }
        var kmf = javax.net.ssl.KeyManagerFactory.getInstance(javax.net.ssl.KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(store, good.password());
        io.netty.handler.ssl.SslContext ctx = io.netty.handler.ssl.SslContextBuilder.forServer(kmf).build();
        // a server that only knows rs1.example: any other name (or none) has no certificate and fails the handshake
        io.netty.channel.Channel server = new io.netty.bootstrap.ServerBootstrap().group(transport.group())
                .channel(io.netty.channel.epoll.Epoll.isAvailable() ? io.netty.channel.epoll.EpollServerSocketChannel.class
                        : io.netty.channel.socket.nio.NioServerSocketChannel.class)
                .childHandler(new io.netty.channel.ChannelInitializer<io.netty.channel.Channel>() {
                    @Override
                    protected void initChannel(io.netty.channel.Channel ch) {
                        ch.pipeline().addLast(new io.netty.handler.ssl.SniHandler(
                                (String host, io.netty.util.concurrent.Promise<io.netty.handler.ssl.SslContext> p) ->
                                        "rs1.example".equals(host) ? p.setSuccess(ctx)
                                                : p.setFailure(new IllegalArgumentException("unknown server name " + host))),
                                new io.netty.channel.ChannelInboundHandlerAdapter() {
                                    @Override
                                    public void exceptionCaught(io.netty.channel.ChannelHandlerContext c, Throwable cause) {
                                        c.close(); // unknown name: hang up, as a real SNI-only server does
                                    }
                                });
                    }
                })
                .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).sync().channel();
        try {
            int port = ((InetSocketAddress) server.localAddress()).getPort();
            // generous timeout: the server's first handshake initialises its TLS engine on a busy machine
            CheckResult right = probe(new TlsCheck(null, null, "rs1.example", false, null), port, Duration.ofSeconds(5));
            assertThat(right.isUp()).as(right.detail()).isTrue();
            CheckResult wrong = probe(new TlsCheck(null, null, "other.example", false, null), port, Duration.ofSeconds(5));
            assertThat(wrong.reason()).as(wrong.detail()).isIn(FailureReason.TLS_ERROR, FailureReason.CLOSED_EARLY);
        } finally {
            server.close().sync();
        }
    }

    @Test
    void tlsAgainstAPlainTextServerIsDown() {
        CheckResult r = probe(new TlsCheck(null, null, null, false, null), http.getAddress().getPort());
        assertThat(r.isDown()).isTrue();
    }

    // ---- UDP

    @Test
    void udpWithAMatchingReplyIsUpAndWithoutReplyTimesOut() throws Exception {
        try (DatagramSocket echo = new DatagramSocket(0, InetAddress.getLoopbackAddress());
             DatagramSocket mute = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            Thread t = new Thread(() -> {
                byte[] buf = new byte[512];
                while (!echo.isClosed()) {
                    try {
                        DatagramPacket p = new DatagramPacket(buf, buf.length);
                        echo.receive(p);
                        byte[] reply = ("PONG " + new String(p.getData(), 0, p.getLength(), StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
                        echo.send(new DatagramPacket(reply, reply.length, p.getSocketAddress()));
                    } catch (IOException e) {
                        return;
                    }
                }
            });
            t.setDaemon(true);
            t.start();
            assertThat(probe(new UdpCheck(null, null, "PING", null, "^PONG PING"), echo.getLocalPort()).isUp()).isTrue();
            assertThat(probe(new UdpCheck(null, null, "PING", null, "^HELLO"), echo.getLocalPort()).reason()).isEqualTo(FailureReason.WRONG_REPLY);
            assertThat(probe(new UdpCheck(null, null, "PING", null, null), mute.getLocalPort(), TIMEOUT).reason()).isEqualTo(FailureReason.TIMEOUT);
        }
    }

    @Test
    void udpToAClosedPortFailsOnThePortUnreachable() throws Exception {
        int port;
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        assertThat(probe(new UdpCheck(null, null, "PING", null, null), port).reason()).isEqualTo(FailureReason.PORT_UNREACHABLE);
    }

    // ---- DNS

    @Test
    void dnsChecksTheRcodeAndTheAnswer() throws Exception {
        try (TestDnsServer dns = new TestDnsServer(transport)) {
            dns.put("www.example", "192.0.2.80");
            int port = dns.port();
            assertThat(probe(new DnsCheck(null, null, "www.example", "A", null, "192.0.2.80"), port).isUp()).isTrue();
            CheckResult wrong = probe(new DnsCheck(null, null, "www.example", "A", null, "192.0.2.81"), port);
            assertThat(wrong.reason()).isEqualTo(FailureReason.WRONG_ANSWER);
            assertThat(wrong.detail()).contains("192.0.2.80");
            assertThat(probe(new DnsCheck(null, null, "nowhere.example", "A", null, null), port).reason()).isEqualTo(FailureReason.WRONG_RCODE);
            assertThat(probe(new DnsCheck(null, null, "nowhere.example", "A", "NXDOMAIN", null), port).isUp()).isTrue();
        }
    }

    // ---- agent

    @Test
    void agentReportsAPercentageDrainAndDown() throws IOException {
        try (LineServer agent = new LineServer("50%\n")) {
            AgentCheck spec = new AgentCheck(agent.port(), null, null, null);
            CheckResult half = probe(spec, 80);
            assertThat(half.isUp()).isTrue();
            assertThat(half.weight()).isEqualTo(DynamicWeight.percentOf(50));
            agent.reply("drain\n");
            assertThat(probe(spec, 80).admin()).isEqualTo(AgentAdmin.DRAIN);
            agent.reply("down\n");
            assertThat(probe(spec, 80).reason()).isEqualTo(FailureReason.AGENT_DOWN);
            agent.reply("up, 75%");
            CheckResult upNoNewline = probe(spec, 80);
            assertThat(upNoNewline.admin()).isEqualTo(AgentAdmin.READY);
            assertThat(upNoNewline.weight()).isEqualTo(DynamicWeight.percentOf(75));
        }
    }

    @Test
    void anUnreachableAgentChangesNothingUnlessConfiguredToFail() throws IOException {
        int port = closedTcpPort();
        assertThat(probe(new AgentCheck(port, null, null, null), 80).verdict()).isEqualTo(CheckResult.Verdict.NO_CHANGE);
        assertThat(probe(new AgentCheck(port, null, null, true), 80).reason()).isEqualTo(FailureReason.CONNECT_REFUSED);
    }

    // ---- command

    @Test
    void commandExitCodesDecide() {
        assertThat(probe(new CommandCheck(null, null, List.of("sh", "-c", "exit 0"), null), 80).isUp()).isTrue();
        assertThat(probe(new CommandCheck(null, null, List.of("sh", "-c", "echo broken; exit 1"), null), 80).reason()).isEqualTo(FailureReason.EXIT_CODE);
        assertThat(probe(new CommandCheck(null, null, List.of("sh", "-c", "exit 3"), null), 80).reason()).isEqualTo(FailureReason.EXIT_CODE);
    }

    @Test
    void commandDynamicWeightFromExitCodeOrOutput() {
        CheckResult fromExit = probe(new CommandCheck(null, null, List.of("sh", "-c", "exit 7"), CommandCheck.DynamicWeightSource.exit), 80);
        assertThat(fromExit.weight()).isEqualTo(DynamicWeight.absolute(5));
        CheckResult fromOut = probe(new CommandCheck(null, null, List.of("sh", "-c", "echo 40%"), CommandCheck.DynamicWeightSource.stdout), 80);
        assertThat(fromOut.weight()).isEqualTo(DynamicWeight.percentOf(40));
    }

    @Test
    void aChattyCommandIsJudgedByItsExitCode() {
        CheckResult r = probe(new CommandCheck(null, null, List.of("sh", "-c", "head -c 200000 /dev/zero | tr '\\0' x; echo; exit 0"), null), 80);
        assertThat(r.isUp()).as(r.detail()).isTrue();
    }

    @Test
    void commandArgumentsNameTheRealServer() {
        CheckResult r = probe(new CommandCheck(null, null, List.of("sh", "-c", "test \"$0:$1\" = 127.0.0.1:8080", "{rip}", "{rport}"), null), 8080);
        assertThat(r.isUp()).as(r.detail()).isTrue();
    }

    @Test
    void aCommandThatRunsTooLongIsKilled() throws Exception {
        Path pidFile = dir.resolve("sleeper.pid");
        CheckResult r = probe(new CommandCheck(null, null, List.of("sh", "-c", "echo $$ > " + pidFile + "; exec sleep 30"), null), 80,
                Duration.ofSeconds(3)); // time for a forked sh to write its pid on a loaded machine before the timeout
        assertThat(r.reason()).isEqualTo(FailureReason.TIMEOUT);
        long pid = Long.parseLong(Files.readString(pidFile).strip());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false) && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).as("sleeper %d still alive", pid).isFalse();
    }

    @Test
    void aMissingProgramIsAFailedCheck() {
        assertThat(probe(new CommandCheck(null, null, List.of("/nonexistent/lvsha-check"), null), 80).reason()).isEqualTo(FailureReason.CHECKER_ERROR);
    }
}
