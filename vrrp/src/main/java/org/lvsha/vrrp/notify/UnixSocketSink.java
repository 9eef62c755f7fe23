package org.lvsha.vrrp.notify;

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
 * Serves the event stream on a unix socket: every connected client receives each later event as one
 * JSON line. Clients are accepted on the writer thread just before each event (no extra thread); a
 * client that cannot keep up within the socket buffer or disconnects is dropped.
 */
public final class UnixSocketSink implements EventSink, AutoCloseable {
    private final Path path;
    private final ServerSocketChannel server;
    private final List<SocketChannel> clients = new ArrayList<>();

    public UnixSocketSink(Path path) throws IOException {
        this.path = path;
        Files.deleteIfExists(path);
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(path));
        server.configureBlocking(false);
    }

    /** Accepts clients waiting to connect; also called before each event. */
    public synchronized void acceptPending() throws IOException {
        SocketChannel c;
        while ((c = server.accept()) != null) {
            c.configureBlocking(false);
            clients.add(c);
        }
    }

    @Override
    public synchronized void accept(TransitionEvent event) throws IOException {
        acceptPending();
        byte[] line = (event.toJson() + "\n").getBytes(StandardCharsets.UTF_8);
        for (Iterator<SocketChannel> it = clients.iterator(); it.hasNext(); ) {
            SocketChannel c = it.next();
            ByteBuffer b = ByteBuffer.wrap(line);
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
