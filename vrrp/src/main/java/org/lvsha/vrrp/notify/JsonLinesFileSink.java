package org.lvsha.vrrp.notify;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Appends one JSON line per event to a file, flushed per event. */
public final class JsonLinesFileSink implements EventSink, AutoCloseable {
    private final Writer out;

    public JsonLinesFileSink(Path path) throws IOException {
        this.out = Files.newBufferedWriter(path, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    @Override
    public void accept(TransitionEvent event) throws IOException {
        out.write(event.toJson());
        out.write('\n');
        out.flush();
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
