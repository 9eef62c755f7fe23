package org.lvsha.health.testing;

import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * A real server for namespace tests, run as its own process: {@code TinyHttpServer ADDRESS PORT} serves
 * {@code 200 ok} on TCP and echoes {@code PONG <payload>} on UDP at the same port, prints READY, and runs until killed.
 */
public final class TinyHttpServer {
    private TinyHttpServer() {
    }

    public static void main(String[] args) throws Exception {
        InetSocketAddress at = new InetSocketAddress(InetAddress.getByName(args[0]), Integer.parseInt(args[1]));
        HttpServer http = HttpServer.create(at, 50);
        http.createContext("/", ex -> {
            byte[] b = "ok\n".getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, b.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(b);
            }
        });
        http.start();
        java.net.DatagramSocket udp = new java.net.DatagramSocket(at);
        Thread echo = new Thread(() -> {
            byte[] buf = new byte[512];
            while (true) {
                try {
                    java.net.DatagramPacket p = new java.net.DatagramPacket(buf, buf.length);
                    udp.receive(p);
                    byte[] reply = ("PONG " + new String(p.getData(), 0, p.getLength(), StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
                    udp.send(new java.net.DatagramPacket(reply, reply.length, p.getSocketAddress()));
                } catch (java.io.IOException e) {
                    return;
                }
            }
        });
        echo.setDaemon(true);
        echo.start();
        System.out.println("READY");
        System.out.flush();
    }
}
