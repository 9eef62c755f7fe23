package org.lvsha.core.ipvs.admin;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import org.lvsha.core.ipvs.InMemoryIpvs;

/**
 * Keeps an in-memory IPVS table in a file of {@code ipvsadm -S -n} rules between CLI invocations, so
 * {@code lvsha ipvs --backend memory --state FILE ...} behaves like a persistent table. What {@code -S} does not
 * carry (thresholds, counters, timeouts, daemons) does not survive an invocation. The file is replaced atomically.
 */
public final class SavedTableFile {

    private final Path file;

    public SavedTableFile(Path file) {
        this.file = file;
    }

    /** A table loaded from the file (empty if the file does not exist). */
    public InMemoryIpvs load() {
        InMemoryIpvs ipvs = new InMemoryIpvs();
        if (Files.exists(file)) {
            try {
                byte[] rules = Files.readAllBytes(file);
                ByteArrayOutputStream err = new ByteArrayOutputStream();
                int rc = new Ipvsadm(ipvs, new ByteArrayInputStream(rules), new PrintStream(new ByteArrayOutputStream()),
                        new PrintStream(err, true, StandardCharsets.UTF_8)).run("-R");
                if (rc != 0) {
                    throw new IllegalStateException(file + ": " + err.toString(StandardCharsets.UTF_8).strip());
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file, e);
            }
        }
        return ipvs;
    }

    public void save(InMemoryIpvs ipvs) {
        String rules = IpvsadmFormatter.save(ipvs.services(), ListFormat.DEFAULT);
        try {
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(tmp, rules, StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
