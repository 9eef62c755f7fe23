package org.lvsha.dist.drill;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lvsha.dist.drill.TimelineEvent.VrrpRole;
import org.lvsha.dist.drill.TimelineEvent.VrrpTransition;

/** Transitions from the daemons' status files: stamped with the daemon's own clock, and a dead daemon is INIT. */
class DrillStatusFileObserverTest {
    @TempDir
    Path dir;

    private static String status(long pid, long monotonic, String vip, String dip) {
        return "{\"pid\":" + pid + ",\"stopped\":false,\"monotonic_ns\":" + monotonic + ",\"instances\":{\"dip\":{\"state\":\""
                + dip + "\"},\"vip\":{\"state\":\"" + vip + "\"}}}\n";
    }

    /**
     * Writes the status file as the daemon does, by a rename: Files.writeString truncates first, and a poll that
     * came between the truncation and the write (a descheduled test thread) read an empty file, a daemon "gone".
     */
    private static void writeStatus(Path f, String text) throws java.io.IOException {
        Path tmp = f.resolveSibling(f.getFileName() + ".tmp");
        Files.writeString(tmp, text);
        Files.move(tmp, f, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    private static List<VrrpTransition> await(Timeline t, int n) throws InterruptedException {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            List<VrrpTransition> got = t.events().stream().filter(e -> e instanceof VrrpTransition)
                    .map(e -> (VrrpTransition) e).toList();
            if (got.size() >= n) {
                return got;
            }
            Thread.sleep(5);
        }
        throw new AssertionError("fewer than " + n + " transitions: " + t.events());
    }

    @Test
    void aStateChangeInTheFileIsATransitionAtTheFilesOwnStamp() throws Exception {
        long me = ProcessHandle.current().pid();
        Path f = dir.resolve("dir2.status.json");
        writeStatus(f, status(me, 1_000, "BACKUP", "BACKUP"));
        Timeline t = new Timeline();
        StatusFileObserver o = new StatusFileObserver(Map.of("dir2", f));
        try {
            o.start(t);
            writeStatus(f, status(me, 5_000_000, "MASTER", "MASTER"));
            List<VrrpTransition> got = await(t, 2);
            assertThat(got).containsExactlyInAnyOrder(new VrrpTransition(5_000_000, "dir2", 51, VrrpRole.BACKUP, VrrpRole.MASTER),
                    new VrrpTransition(5_000_000, "dir2", 52, VrrpRole.BACKUP, VrrpRole.MASTER));
        } finally {
            o.close();
        }
    }

    @Test
    void aDaemonWhosePidIsGoneIsInitWhateverItsLastFileSaid() throws Exception {
        Process p = new ProcessBuilder("sleep", "30").start();
        Path f = dir.resolve("dir1.status.json");
        writeStatus(f, status(p.pid(), 1_000, "MASTER", "MASTER"));
        Timeline t = new Timeline();
        StatusFileObserver o = new StatusFileObserver(Map.of("dir1", f));
        try {
            o.start(t);
            long before = System.nanoTime();
            p.destroyForcibly().waitFor();
            List<VrrpTransition> got = await(t, 2);
            assertThat(got).allSatisfy(tr -> {
                assertThat(tr.from()).isEqualTo(VrrpRole.MASTER);
                assertThat(tr.to()).isEqualTo(VrrpRole.INIT);
                assertThat(tr.atNanos()).isGreaterThanOrEqualTo(before);
            });
        } finally {
            o.close();
            p.destroyForcibly();
        }
    }

    @Test
    void daemonStatesMapOntoTheReportsRoles() {
        assertThat(StatusFileObserver.role("INITIALIZE")).isEqualTo(VrrpRole.INIT);
        assertThat(StatusFileObserver.role("FAULT")).isEqualTo(VrrpRole.FAULT);
        assertThat(StatusFileObserver.role("")).isNull();
    }
}
