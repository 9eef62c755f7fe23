package org.lvsha.health.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A TCP server (loopback unless told otherwise) that answers every connection with a fixed text and closes (an
 * agent, or a crude HTTP server for responses the JDK's server will not produce). Runs on one daemon thread.
 */
public final class LineServer implements AutoCloseable {
    private final ServerSocket socket;
    private volatile String reply;

    public LineServer(String reply) throws IOException {
        this(reply, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    }

    public LineServer(String reply, InetSocketAddress at) throws IOException {
        this.reply = reply;
        this.socket = new ServerSocket();
        socket.bind(at, 50);
        Thread t = new Thread(this::serve, "line-server");
        t.setDaemon(true);
        t.start();
    }

    public int port() {
        return socket.getLocalPort();
    }

    public void reply(String text) {
        this.reply = text;
    }

    private void serve() {
        while (!socket.isClosed()) {
            try (Socket s = socket.accept(); OutputStream out = s.getOutputStream()) {
                out.write(reply.getBytes(StandardCharsets.UTF_8));
                out.flush();
            } catch (IOException e) {
                // closed, or the client went away: next
            }
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
