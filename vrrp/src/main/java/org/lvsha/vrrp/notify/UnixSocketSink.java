package org.lvsha.vrrp.notify;

import java.io.IOException;
import java.nio.file.Path;
import org.lvsha.core.notify.JsonLinesSocket;

/** Serves the event stream on a unix socket: every connected client receives each later event as one JSON line. */
public final class UnixSocketSink implements EventSink, AutoCloseable {
    private final JsonLinesSocket socket;

    public UnixSocketSink(Path path) throws IOException {
        this.socket = new JsonLinesSocket(path);
    }

    @Override
    public void accept(TransitionEvent event) throws IOException {
        socket.write(event.toJson());
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
