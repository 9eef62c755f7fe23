package org.lvsha.dist.realserver;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The real server's protocol on loopback: no namespaces needed. */
class RealServerTest {
    private RealServer server;
    private int httpPort;
    private int echoPort;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @BeforeEach
    void start() throws Exception {
        server = RealServer.start("rs7", List.of(InetAddress.getLoopbackAddress()), 0, 0);
        List<InetSocketAddress> bound = server.boundAddresses();
        echoPort = bound.get(0).getPort();
        httpPort = bound.get(1).getPort();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
                .timeout(Duration.ofSeconds(3)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void rootAnswersWithTheServersNameInBodyAndHeader() throws Exception {
        HttpResponse<String> r = get("/");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("rs7\n");
        assertThat(r.headers().firstValue("X-Real-Server")).hasValue("rs7");
    }

    @Test
    void healthAnswers200AndUnknownPathsAnswer404() throws Exception {
        assertThat(get("/health").statusCode()).isEqualTo(200);
        assertThat(get("/nope").statusCode()).isEqualTo(404);
    }

    @Test
    void streamRejectsAnIntervalOutsideItsBounds() throws Exception {
        assertThat(get("/stream?interval=1").statusCode()).isEqualTo(400);
        assertThat(get("/stream?interval=abc").statusCode()).isEqualTo(400);
    }

    @Test
    void streamWritesConsecutiveNumberedLinesUntilTheClientCloses() throws Exception {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", httpPort), 2000);
            s.setSoTimeout(3000);
            s.getOutputStream().write("GET /stream?interval=20 HTTP/1.1\r\nHost: lab\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
            assertThat(in.readLine()).isEqualTo("HTTP/1.1 200 OK");
            String line;
            boolean chunked = false;
            while (!(line = in.readLine()).isEmpty()) {
                chunked |= line.equalsIgnoreCase("transfer-encoding: chunked");
            }
            assertThat(chunked).isTrue();
            for (int n = 0; n < 10; n++) {
                in.readLine(); // chunk size
                assertThat(in.readLine()).isEqualTo("rs7 " + n);
                in.readLine(); // CRLF closing the chunk
            }
        }
        // The server survives a client that hangs up mid-stream.
        assertThat(get("/").body()).isEqualTo("rs7\n");
    }

    @Test
    void echoPrefixesEveryLineWithTheServersNameAndKeepsTheConnection() throws Exception {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", echoPort), 2000);
            s.setSoTimeout(3000);
            OutputStream out = s.getOutputStream();
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
            for (int i = 0; i < 3; i++) {
                out.write(("ping " + i + "\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
                assertThat(in.readLine()).isEqualTo("rs7 ping " + i);
                Thread.sleep(100);
            }
            out.write("a\nb\n".getBytes(StandardCharsets.UTF_8));
            assertThat(in.readLine()).isEqualTo("rs7 a");
            assertThat(in.readLine()).isEqualTo("rs7 b");
        }
    }
}
