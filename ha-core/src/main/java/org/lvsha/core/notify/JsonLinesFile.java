package org.lvsha.core.notify;

import java.io.Closeable;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Appends one line per event to a file, flushed per line so a reader (tail -f, a test) sees each at once. */
public final class JsonLinesFile implements Closeable {
    private final Writer out;

    public JsonLinesFile(Path path) throws IOException {
        this.out = Files.newBufferedWriter(path, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    /** {@code line} without its line end. */
    public synchronized void write(String line) throws IOException {
        out.write(line);
        out.write('\n');
        out.flush();
    }

    @Override
    public synchronized void close() throws IOException {
        out.close();
    }
}
