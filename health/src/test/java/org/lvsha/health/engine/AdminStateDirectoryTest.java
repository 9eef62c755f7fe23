package org.lvsha.health.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lvsha.health.engine.AdminStateDirectory.Key;
import org.lvsha.health.policy.AdminState;

class AdminStateDirectoryTest {
    @TempDir
    Path root;

    private void write(String service, String server, String content) throws Exception {
        Path f = root.resolve(service).resolve(server);
        Files.createDirectories(f.getParent());
        Files.writeString(f, content);
    }

    @Test
    void filesNameTheServiceAndServerAndSayDrainOrMaint() throws Exception {
        write("tcp:203.0.113.100:80", "192.0.2.11:80", "drain\n");
        write("tcp:203.0.113.100:80", "192.0.2.12:80", "maint # kernel upgrade");
        write("tcp:203.0.113.100:80", "192.0.2.13:80", "");
        write("tcp:203.0.113.100:9000", "[2001:db8:0:2::11]:9000", "MAINTENANCE");
        write("tcp:203.0.113.100:80", "192.0.2.14:80", "reboot");
        assertThat(new AdminStateDirectory(root).scan()).isEqualTo(Map.of(
                new Key("tcp:203.0.113.100:80", "192.0.2.11:80"), AdminState.DRAIN,
                new Key("tcp:203.0.113.100:80", "192.0.2.12:80"), AdminState.MAINTENANCE,
                new Key("tcp:203.0.113.100:80", "192.0.2.13:80"), AdminState.MAINTENANCE,
                new Key("tcp:203.0.113.100:9000", "[2001:db8:0:2::11]:9000"), AdminState.MAINTENANCE));
    }

    @Test
    void aMissingDirectoryMeansNoFiles() {
        assertThat(new AdminStateDirectory(root.resolve("absent")).scan()).isEmpty();
    }
}
