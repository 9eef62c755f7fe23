package org.lvsha.health.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import javax.net.ssl.SSLContext;

/**
 * The JDK's HTTP and HTTPS servers with the answers the checker tests need: {@code /ok} (200 "ok"),
 * {@code /unavailable} (503), {@code /maintenance} (200, another body), {@code /host} (echoes the Host header),
 * {@code /big} (5000 bytes), {@code /dribble} (headers at once, then one body byte every 100 ms); HTTPS serves
 * {@code /ok} (200 "secure ok"). Shared by the loopback tests and the namespace servers' process.
 */
public final class TestWebServers {
    private TestWebServers() {
    }

    public static HttpServer http(InetSocketAddress at) throws IOException {
        HttpServer http = HttpServer.create(at, 50);
        http.setExecutor(Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "test-http");
            t.setDaemon(true);
            return t;
        }));
        http.createContext("/ok", ex -> respond(ex, 200, "ok\n"));
        http.createContext("/unavailable", ex -> respond(ex, 503, "sorry\n"));
        http.createContext("/maintenance", ex -> respond(ex, 200, "maintenance mode\n"));
        http.createContext("/host", ex -> respond(ex, 200, "host=" + ex.getRequestHeaders().getFirst("Host") + "\n"));
        http.createContext("/big", ex -> respond(ex, 200, "x".repeat(5000)));
        http.createContext("/dribble", TestWebServers::dribble);
        http.start();
        return http;
    }

    public static HttpsServer https(InetSocketAddress at, SSLContext context) throws IOException {
        HttpsServer https = HttpsServer.create(at, 50);
        https.setHttpsConfigurator(new HttpsConfigurator(context));
        https.createContext("/ok", ex -> respond(ex, 200, "secure ok\n"));
        https.start();
        return https;
    }

    private static void respond(HttpExchange ex, int status, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.sendResponseHeaders(status, b.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(b);
        }
    }

    /** Sends the status line and headers at once, then one body byte every 100 ms (bounded: 30 bytes). */
    private static void dribble(HttpExchange ex) throws IOException {
        ex.sendResponseHeaders(200, 30);
        try (OutputStream out = ex.getResponseBody()) {
            for (int i = 0; i < 30; i++) {
                out.write('.');
                out.flush();
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        } catch (IOException e) {
            // the checker gave up and reset the connection: expected
        }
    }
}
