package org.lvsha.dist.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.reflect.Constructor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** sd_notify's wire: one datagram on the AF_UNIX socket; received here by a python3 listener (Java has no unix datagrams). */
class SystemdNotifierTest {
    @TempDir
    Path dir;

    @Test
    void readyIsOneDatagramOnTheNotifySocket() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/python3")), "skipped: needs /usr/bin/python3 as the listener");
        Path socket = dir.resolve("notify.sock");
        Path got = dir.resolve("got.txt");
        Process listener = new ProcessBuilder("/usr/bin/python3", "-c", """
                import socket, sys
                s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
                s.bind(sys.argv[1])
                open(sys.argv[2] + ".bound", "w").close()
                s.settimeout(10)
                open(sys.argv[2], "wb").write(s.recv(4096))
                """, socket.toString(), got.toString()).redirectErrorStream(true).start();
        try {
            Path bound = Path.of(got + ".bound");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!Files.exists(bound) && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(bound).exists();
            Constructor<SystemdNotifier> c = SystemdNotifier.class.getDeclaredConstructor(String.class);
            c.setAccessible(true);
            c.newInstance(socket.toString()).send("READY=1\nSTATUS=test");
            assertThat(listener.waitFor(10, TimeUnit.SECONDS)).isTrue();
            assertThat(Files.readString(got)).isEqualTo("READY=1\nSTATUS=test");
        } finally {
            listener.destroyForcibly();
        }
    }

    @Test
    void withoutNotifySocketNothingIsSent() throws Exception {
        Constructor<SystemdNotifier> c = SystemdNotifier.class.getDeclaredConstructor(String.class);
        c.setAccessible(true);
        SystemdNotifier n = c.newInstance((String) null);
        assertThat(n.enabled()).isFalse();
        n.send("READY=1"); // no socket, no error
    }
}
