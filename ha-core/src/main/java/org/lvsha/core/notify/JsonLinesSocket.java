package org.lvsha.core.notify;

import java.io.Closeable;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Serves lines on a unix socket: every connected client receives each later line. Clients are accepted by the
 * writer just before each line (no thread of its own); a client that cannot take a line within its socket buffer,
 * or has gone, is dropped, so a stuck reader never holds up the writer.
 */
public final class JsonLinesSocket implements Closeable {
    private final Path path;
    private final ServerSocketChannel server;
    private final List<SocketChannel> clients = new ArrayList<>();

    /** Binds {@code path}, replacing a socket file an earlier run left behind. */
    public JsonLinesSocket(Path path) throws IOException {
        this.path = path;
        Files.deleteIfExists(path);
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            server.bind(UnixDomainSocketAddress.of(path));
            server.configureBlocking(false);
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        }
    }

    public Path path() {
        return path;
    }

    /** Accepts the clients waiting to connect; also done before each line. */
    public synchronized void acceptPending() throws IOException {
        SocketChannel c;
        while ((c = server.accept()) != null) {
            c.configureBlocking(false);
            clients.add(c);
        }
    }

    public synchronized int clients() {
        return clients.size();
    }

    /** {@code line} without its line end, to every client. */
    public synchronized void write(String line) throws IOException {
        acceptPending();
        byte[] bytes = (line + "\n").getBytes(StandardCharsets.UTF_8);
        for (Iterator<SocketChannel> it = clients.iterator(); it.hasNext(); ) {
            SocketChannel c = it.next();
            ByteBuffer b = ByteBuffer.wrap(bytes);
            try {
                c.write(b);
                if (b.hasRemaining()) {
                    throw new IOException("client too slow");
                }
            } catch (IOException e) {
                it.remove();
                c.close();
            }
        }
    }

    @Override
    public synchronized void close() throws IOException {
        for (SocketChannel c : clients) {
            c.close();
        }
        server.close();
        Files.deleteIfExists(path);
    }
}
