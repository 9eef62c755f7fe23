package org.lvsha.health.engine;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.lvsha.health.policy.AdminState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drain and maintenance by files, without a reload: {@code <root>/<service id>/<real server id>}, for example
 * {@code /run/lvsha/admin/tcp:203.0.113.100:80/192.0.2.11:80}. The file's first word is {@code drain} or
 * {@code maint}; an empty file means {@code maint}. Removing the file returns the server to normal. A file
 * with another word is ignored (and logged). Scanning reads the directory; the engine polls it.
 */
public final class AdminStateDirectory {
    private static final Logger LOG = LoggerFactory.getLogger(AdminStateDirectory.class);

    /** A real server of a service. */
    public record Key(String serviceId, String realServerId) {
    }

    private final Path root;

    public AdminStateDirectory(Path root) {
        this.root = root;
    }

    public Path root() {
        return root;
    }

    /** Every server with a file and the state it asks for. A missing root means no files. */
    public Map<Key, AdminState> scan() {
        Map<Key, AdminState> found = new HashMap<>();
        if (!Files.isDirectory(root)) {
            return found;
        }
        try (DirectoryStream<Path> services = Files.newDirectoryStream(root, Files::isDirectory)) {
            for (Path service : services) {
                try (DirectoryStream<Path> servers = Files.newDirectoryStream(service, Files::isRegularFile)) {
                    for (Path server : servers) {
                        AdminState s = parse(server);
                        if (s != null) {
                            found.put(new Key(service.getFileName().toString(), server.getFileName().toString()), s);
                        }
                    }
                }
            }
        } catch (IOException e) {
            LOG.warn("cannot read admin-state directory {}: {}", root, e.toString());
        }
        return found;
    }

    static AdminState parse(Path file) throws IOException {
        byte[] head;
        try (var in = Files.newInputStream(file)) {
            head = in.readNBytes(64);
        }
        String text = new String(head, StandardCharsets.UTF_8).strip().toLowerCase(Locale.ROOT);
        String word = text.isEmpty() ? "" : text.split("\\s+")[0];
        return switch (word) {
            case "", "maint", "maintenance" -> AdminState.MAINTENANCE;
            case "drain" -> AdminState.DRAIN;
            default -> {
                LOG.warn("{}: unknown admin state '{}' (use drain or maint); ignored", file, word);
                yield null;
            }
        };
    }
}
