package org.lvsha.vrrp.notify;

import java.io.IOException;
import java.nio.file.Path;
import org.lvsha.core.notify.JsonLinesFile;

/** Appends one JSON line per event to a file, flushed per event. */
public final class JsonLinesFileSink implements EventSink, AutoCloseable {
    private final JsonLinesFile out;

    public JsonLinesFileSink(Path path) throws IOException {
        this.out = new JsonLinesFile(path);
    }

    @Override
    public void accept(TransitionEvent event) throws IOException {
        out.write(event.toJson());
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
