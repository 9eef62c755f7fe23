package org.lvsha.dist.dataplane;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lvsha.core.ipvs.InMemoryIpvs;

/** The control socket a running data plane serves, over an in-memory table (no privileges needed). */
class IpvsadmControlProtocolTest {

    @Test
    void remoteIpvsadmCommandsChangeAndListTheServersTableWithItsExitStatusesAndErrors(@TempDir Path dir) throws Exception {
        Path sock = dir.resolve("run/dataplane.sock");
        try (IpvsadmControlProtocol.Server server = new IpvsadmControlProtocol.Server(sock, new InMemoryIpvs(), a -> "received 7\n")) {
            assertThat(IpvsadmControlProtocol.call(sock, List.of("-A", "-t", "203.0.113.100:80", "-s", "wrr"), new byte[0]).status()).isZero();
            var listing = IpvsadmControlProtocol.call(sock, List.of("-L", "-n"), new byte[0]);
            assertThat(listing.status()).isZero();
            assertThat(listing.out()).contains("TCP  203.0.113.100:80 wrr");
            var duplicate = IpvsadmControlProtocol.call(sock, List.of("-A", "-t", "203.0.113.100:80"), new byte[0]);
            assertThat(duplicate.status()).isNotZero();
            assertThat(duplicate.err()).contains("exists");
            var restore = IpvsadmControlProtocol.call(sock, List.of("-R"),
                    "-A -u 203.0.113.100:53 -s rr\n".getBytes(StandardCharsets.UTF_8));
            assertThat(restore.status()).isZero();
            assertThat(IpvsadmControlProtocol.call(sock, List.of("-S", "-n"), new byte[0]).out()).contains("-A -u 203.0.113.100:53 -s rr");
            assertThat(IpvsadmControlProtocol.call(sock, List.of(IpvsadmControlProtocol.COUNTERS), new byte[0]).out()).isEqualTo("received 7\n");
            assertThat(Files.getPosixFilePermissions(sock)).hasSize(2);
        }
        assertThat(sock).doesNotExist();
    }
}
