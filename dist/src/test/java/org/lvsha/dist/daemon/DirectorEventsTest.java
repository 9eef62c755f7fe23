package org.lvsha.dist.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lvsha.health.event.HealthEvent;
import org.lvsha.vrrp.notify.TransitionEvent;
import org.lvsha.vrrp.proto.State;
import org.lvsha.vrrp.proto.TransitionReason;

class DirectorEventsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    Path dir;

    private static TransitionEvent master(long seq) {
        return new TransitionEvent(seq, 0, "INSTANCE", "vip \"outside\"", State.BACKUP, State.MASTER, TransitionReason.MASTER_DOWN_TIMER, 100);
    }

    private static HealthEvent down(String rs) {
        return new HealthEvent(HealthEvent.Kind.SERVER_DOWN, "tcp:203.0.113.100:80", rs, "3 failed: TIMEOUT", 0);
    }

    private static List<JsonNode> read(Path file) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            out.add(JSON.readTree(line));
        }
        return out;
    }

    @Test
    void vrrpTransitionsAndHealthEventsAreOneNumberedStreamOnTheSocketAndInTheFile() throws Exception {
        Path sock = dir.resolve("events.sock");
        Path file = dir.resolve("events.jsonl");
        List<JsonNode> seen = new ArrayList<>();
        try (DirectorEvents events = DirectorEvents.open("dir1", sock, file);
             SocketChannel client = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            client.connect(UnixDomainSocketAddress.of(sock));
            events.accept(master(7));
            events.onEvent(down("192.0.2.11:80"));
            events.onEvent(new HealthEvent(HealthEvent.Kind.QUORUM_LOST, "tcp:203.0.113.100:80", null, "live weight 0 < 1", 0));
            BufferedReader r = new BufferedReader(new InputStreamReader(Channels.newInputStream(client), StandardCharsets.UTF_8));
            for (int i = 0; i < 3; i++) {
                seen.add(JSON.readTree(r.readLine()));
            }
            assertThat(events.published()).isEqualTo(3);
            assertThat(events.dropped()).isZero();
            assertThat(events.socketPath()).contains(sock);
        }
        assertThat(seen).extracting(n -> n.get("seq").asLong()).containsExactly(1L, 2L, 3L);
        assertThat(seen).extracting(n -> n.get("node").asText()).containsOnly("dir1");
        assertThat(seen).extracting(n -> n.get("source").asText()).containsExactly("vrrp", "health", "health");
        assertThat(seen).extracting(n -> n.get("event").asText()).containsExactly("TRANSITION", "SERVER_DOWN", "QUORUM_LOST");
        JsonNode t = seen.get(0);
        assertThat(t.get("name").asText()).as("escaped and read back").isEqualTo("vip \"outside\"");
        assertThat(t.get("from").asText()).isEqualTo("BACKUP");
        assertThat(t.get("state").asText()).isEqualTo("MASTER");
        assertThat(t.get("reason").asText()).isEqualTo("MASTER_DOWN_TIMER");
        assertThat(t.get("vrrp_seq").asLong()).isEqualTo(7);
        assertThat(java.time.Instant.parse(t.get("time").asText())).isNotNull();
        assertThat(seen.get(1).get("server").asText()).isEqualTo("192.0.2.11:80");
        assertThat(seen.get(1).get("detail").asText()).isEqualTo("3 failed: TIMEOUT");
        assertThat(seen.get(2).has("server")).as("a service-level event names no server").isFalse();
        assertThat(read(file)).isEqualTo(seen);
        assertThat(sock).as("removed at close").doesNotExist();
    }

    @Test
    void closeDeliversWhatIsQueuedAndManyProducersKeepTheNumbering() throws Exception {
        Path file = dir.resolve("events.jsonl");
        int perThread = 500;
        try (DirectorEvents events = DirectorEvents.open("dir2", null, file)) {
            Thread a = new Thread(() -> {
                for (int i = 0; i < perThread; i++) {
                    events.onEvent(down("192.0.2.11:80"));
                }
            });
            Thread b = new Thread(() -> {
                for (int i = 0; i < perThread; i++) {
                    events.accept(master(i));
                }
            });
            a.start();
            b.start();
            a.join();
            b.join();
        }
        List<JsonNode> lines = read(file);
        assertThat(lines).hasSize(2 * perThread);
        for (int i = 0; i < lines.size(); i++) {
            assertThat(lines.get(i).get("seq").asLong()).as("line %d", i).isEqualTo(i + 1);
        }
        assertThat(lines.stream().filter(n -> n.get("source").asText().equals("vrrp")).map(n -> n.get("vrrp_seq").asLong()).toList())
                .as("each source's own order is kept").isSorted();
    }

    @Test
    void aSocketThatCannotBeBoundIsLeftOutButAFileThatCannotBeOpenedIsRefused() throws Exception {
        Path tooLong = dir.resolve("x".repeat(120) + ".sock"); // over sun_path's 108 bytes
        Path file = dir.resolve("events.jsonl");
        try (DirectorEvents events = DirectorEvents.open("dir1", tooLong, file)) {
            assertThat(events.socketPath()).isEmpty();
            events.onEvent(down("192.0.2.12:80"));
        }
        assertThat(read(file)).hasSize(1);
        Path noDir = dir.resolve("missing").resolve("events.jsonl");
        assertThatThrownBy(() -> DirectorEvents.open("dir1", null, noDir)).isInstanceOf(IOException.class)
                .hasMessageContaining(noDir.toString());
    }
}
