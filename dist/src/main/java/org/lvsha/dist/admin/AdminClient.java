package org.lvsha.dist.admin;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A client of {@link AdminServer}: what {@code lvsha status}, {@code failover} and {@code reload} send. Bounded waits. */
public final class AdminClient {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private final URI base;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

    public AdminClient(InetSocketAddress endpoint) {
        String host = endpoint.getAddress() != null ? endpoint.getAddress().getHostAddress() : endpoint.getHostString();
        this.base = URI.create("http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + endpoint.getPort());
    }

    public record Response(int status, String body) {
        public boolean ok() {
            return status / 100 == 2;
        }
    }

    public Response get(String path) {
        return send(HttpRequest.newBuilder(base.resolve(path)).timeout(TIMEOUT).GET().build());
    }

    public Response post(String path) {
        return send(HttpRequest.newBuilder(base.resolve(path)).timeout(TIMEOUT).POST(HttpRequest.BodyPublishers.noBody()).build());
    }

    private Response send(HttpRequest r) {
        try {
            HttpResponse<String> resp = http.send(r, HttpResponse.BodyHandlers.ofString());
            return new Response(resp.statusCode(), resp.body());
        } catch (IOException e) {
            throw new IllegalStateException("admin endpoint " + base + " unreachable: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted talking to " + base, e);
        }
    }

    public URI base() {
        return base;
    }
}
