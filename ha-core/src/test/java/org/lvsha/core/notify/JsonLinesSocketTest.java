package org.lvsha.core.notify;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonLinesSocketTest {
    @TempDir
    Path dir;

    private static BufferedReader reader(SocketChannel c) {
        return new BufferedReader(new InputStreamReader(Channels.newInputStream(c), StandardCharsets.UTF_8));
    }

    private static SocketChannel connect(Path sock) throws Exception {
        SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX);
        c.connect(UnixDomainSocketAddress.of(sock));
        return c;
    }

    @Test
    void everyClientGetsEachLaterLineAndTheFileGoesAtClose() throws Exception {
        Path sock = dir.resolve("events.sock");
        try (JsonLinesSocket s = new JsonLinesSocket(sock); SocketChannel first = connect(sock)) {
            s.write("{\"n\":1}");
            try (SocketChannel second = connect(sock)) {
                s.write("{\"n\":2}");
                BufferedReader a = reader(first);
                assertThat(a.readLine()).isEqualTo("{\"n\":1}");
                assertThat(a.readLine()).isEqualTo("{\"n\":2}");
                assertThat(reader(second).readLine()).as("joined after line 1").isEqualTo("{\"n\":2}");
                assertThat(s.clients()).isEqualTo(2);
            }
        }
        assertThat(sock).doesNotExist();
    }

    @Test
    void aSocketFileLeftByAnEarlierRunIsReplaced() throws Exception {
        Path sock = dir.resolve("events.sock");
        new JsonLinesSocket(sock); // not closed: as a killed daemon leaves it
        assertThat(sock).exists();
        try (JsonLinesSocket s = new JsonLinesSocket(sock); SocketChannel c = connect(sock)) {
            s.write("x");
            assertThat(reader(c).readLine()).isEqualTo("x");
        }
    }

    @Test
    void aClientThatStopsReadingIsDroppedAndTheOthersGoOn() throws Exception {
        Path sock = dir.resolve("events.sock");
        try (JsonLinesSocket s = new JsonLinesSocket(sock); SocketChannel stuck = connect(sock); SocketChannel reading = connect(sock)) {
            String line = "y".repeat(16 * 1024);
            BufferedReader r = reader(reading);
            // Bounded: the stuck client's socket buffer (a few hundred KB at most) fills long before 1000 lines of 16 KB.
            for (int i = 0; i < 1000 && s.clients() != 1; i++) {
                s.write(line);
                assertThat(r.readLine()).hasSize(line.length());
            }
            assertThat(s.clients()).as("the stuck client was dropped").isEqualTo(1);
            s.write("after");
            assertThat(r.readLine()).isEqualTo("after");
        }
    }

    @Test
    void aFileGetsOneFlushedLinePerWrite() throws Exception {
        Path f = dir.resolve("events.jsonl");
        try (JsonLinesFile out = new JsonLinesFile(f)) {
            out.write("{\"a\":1}");
            assertThat(Files.readAllLines(f)).containsExactly("{\"a\":1}");
            out.write("{\"b\":2}");
        }
        try (JsonLinesFile again = new JsonLinesFile(f)) {
            again.write("{\"c\":3}");
        }
        assertThat(Files.readAllLines(f)).containsExactly("{\"a\":1}", "{\"b\":2}", "{\"c\":3}");
    }
}
