package org.lvsha.dist.lab;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * Where {@code lab up} records a lab for later commands: {@code DIR/lab-PREFIX.json}, the logs in
 * {@code DIR/lab-PREFIX/}, and {@code DIR/lab-current} naming the lab commands use when no
 * {@code --prefix} is given. DIR is {@code /run/lvsha} (tmpfs: a reboot removes labs and state
 * together), or the {@code lvsha.run.dir} system property.
 */
public final class LabRunDirectory {
    public static final String DIR_PROPERTY = "lvsha.run.dir";
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final Path dir;

    public LabRunDirectory(Path dir) {
        this.dir = dir;
    }

    public static LabRunDirectory standard() {
        return new LabRunDirectory(Path.of(System.getProperty(DIR_PROPERTY, "/run/lvsha")));
    }

    public Path dir() {
        return dir;
    }

    public Path stateFile(String prefix) {
        return dir.resolve("lab-" + prefix + ".json");
    }

    public Path logDir(String prefix) {
        return dir.resolve("lab-" + prefix);
    }

    private Path currentFile() {
        return dir.resolve("lab-current");
    }

    /** Writes the state atomically (a reader never sees half a file) and makes it the current lab. */
    public void save(LabState state) {
        try {
            Files.createDirectories(dir);
            Path tmp = dir.resolve(".lab-" + state.prefix() + ".json.tmp");
            JSON.writeValue(tmp.toFile(), state);
            Files.move(tmp, stateFile(state.prefix()), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            Files.writeString(currentFile(), state.prefix() + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write lab state to " + dir + ": " + e.getMessage(), e);
        }
    }

    public Optional<LabState> load(String prefix) {
        Path f = stateFile(prefix);
        if (!Files.exists(f)) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readValue(f.toFile(), LabState.class));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read lab state " + f + ": " + e.getMessage(), e);
        }
    }

    /** The prefix of the lab last brought up and not yet taken down. */
    public Optional<String> current() {
        try {
            String p = Files.readString(currentFile(), StandardCharsets.UTF_8).strip();
            return p.isEmpty() ? Optional.empty() : Optional.of(p);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** The given prefix, else the current lab's. */
    public Optional<String> resolve(String prefixOrNull) {
        return prefixOrNull != null ? Optional.of(prefixOrNull) : current();
    }

    /** Removes the lab's state file and logs, and the current pointer if it names this lab. */
    public void forget(String prefix) {
        try {
            Files.deleteIfExists(stateFile(prefix));
            RunningLab.deleteTree(logDir(prefix));
            if (current().filter(prefix::equals).isPresent()) {
                Files.deleteIfExists(currentFile());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove lab state in " + dir + ": " + e.getMessage(), e);
        }
    }
}
