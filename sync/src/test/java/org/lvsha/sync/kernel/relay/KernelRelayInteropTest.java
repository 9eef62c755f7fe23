package org.lvsha.sync.kernel.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.lvsha.core.lab.KernelVm;
import org.lvsha.core.lab.Shell;

/**
 * The kernel side of connection sync against a real kernel (Debian 6.1 under QEMU, shared/tools/kernel-vm),
 * with real client and real-server namespaces inside the guests (documentation ranges only).
 */
@Tag("kernelvm")
class KernelRelayInteropTest {
    private Path share;
    private KernelVm vm;

    @BeforeEach
    void setUp(org.junit.jupiter.api.TestInfo test) throws IOException {
        assumeTrue(KernelVm.unavailableReason().isEmpty(), () -> "skipped: " + KernelVm.unavailableReason().orElse(""));
        vm = KernelVm.find().orElseThrow();
        // one directory per test, so each run's guest files stay for a look after a failure
        share = Path.of("target", "kvm-relay", test.getTestMethod().orElseThrow().getName()).toAbsolutePath();
        if (Files.exists(share)) {
            try (Stream<Path> files = Files.list(share)) {
                for (Path f : files.filter(Files::isRegularFile).toList()) { // guest-cp/ is KernelVm's
                    Files.deleteIfExists(f);
                }
            }
        }
        Files.createDirectories(share);
        for (String f : List.of("lab.sh", "decode.sh", "relay.sh", "flows.py")) {
            try (InputStream in = getClass().getResourceAsStream("/kernel-relay/" + f)) {
                Files.copy(in, share.resolve(f));
            }
        }
    }

    private KernelVm.Guest guest(String name) {
        String java = ProcessHandle.current().info().command().orElse("java");
        return KernelVm.Guest.named(name, share).withTimeout(Duration.ofSeconds(260))
                .withEnv(Map.of("JAVA", java, "CP", KernelVm.guestClasspath(share)));
    }

    /**
     * (a) UDP and TCP flows through a NAT virtual service in the guest; the kernel master daemon's datagrams,
     * captured on its sync interface, decode to exactly the connections {@code ipvsadm -Lnc} lists there.
     */
    @Test
    void aRealKernelMastersDatagramsDecodeToTheConnectionsItLists() throws IOException {
        Shell.Result r = vm.run(guest("relay-decode"), share.resolve("decode.sh"));
        String out = r.stdout() + r.stderr();
        Files.writeString(share.resolve("decode.log"), out);
        assumeTrue(r.exitCode() != 125, () -> "skipped: kernel-vm could not boot a guest:\n" + out);
        assertThat(r.exitCode()).as(out).isZero();

        Set<String> listed = new HashSet<>();
        for (String l : Files.readAllLines(share.resolve("lnc.txt"))) {
            String[] w = l.trim().split("\\s+");
            if (w.length == 6 && (w[0].equals("TCP") || w[0].equals("UDP"))) {
                listed.add(w[0] + " " + w[3] + " " + w[4] + " " + w[5] + (w[0].equals("TCP") ? " " + w[2] : ""));
            }
        }
        Set<String> decoded = new HashSet<>();
        for (String l : Files.readAllLines(share.resolve("decoded.txt"))) {
            String[] w = l.split(" ");
            boolean tcp = w[0].equals("6");
            // NAT (MASQ = 0) in the forwarding bits, §1.6; TCP state 1 = ESTABLISHED, §1.7
            assertThat(Integer.parseInt(w[5].substring("flags=0x".length()), 16) & 7).as(l).isZero();
            decoded.add((tcp ? "TCP" : "UDP") + " " + w[1] + " " + w[2] + " " + w[3]
                    + (tcp ? " " + (w[4].equals("state=1") ? "ESTABLISHED" : w[4]) : ""));
        }
        assertThat(listed).as(out).contains("UDP 192.0.2.2:40000 192.0.2.1:5000 198.51.100.2:5000",
                "TCP 192.0.2.2:40001 192.0.2.1:5001 198.51.100.2:5001 ESTABLISHED");
        assertThat(decoded).as(out).containsAll(listed);
    }

    /**
     * (b) Two directors on one segment. The kernel master on a sends to 224.0.0.81:8849, which no kernel
     * listens on; the kernel backup on b listens on 8848, where only b's relay (TTL 0, loopback) sends. So the
     * kernels cannot talk directly: what b's kernel learns came through a's capture, JGroups and b's injector.
     * A control flow sent after b's relay stopped proves it: a's kernel master syncs it, b's kernel never sees it.
     */
    @Test
    void theRelayCarriesAKernelMastersConnectionsToAKernelBackup() throws Exception {
        String segment = "kr" + ProcessHandle.current().pid();
        CompletableFuture<Shell.Result> a = CompletableFuture.supplyAsync(
                () -> vm.run(guest("relay-a").onSegment(segment, "52:54:00:00:81:01"), share.resolve("relay.sh"), "a"));
        CompletableFuture<Shell.Result> b = CompletableFuture.supplyAsync(
                () -> vm.run(guest("relay-b").onSegment(segment, "52:54:00:00:81:02"), share.resolve("relay.sh"), "b"));
        Shell.Result ra = a.get();
        Shell.Result rb = b.get();
        String out = "--- a\n" + ra.stdout() + ra.stderr() + "\n--- b\n" + rb.stdout() + rb.stderr();
        Files.writeString(share.resolve("relay.log"), out);
        assumeTrue(ra.exitCode() != 125 && rb.exitCode() != 125, () -> "skipped: kernel-vm could not boot a guest:\n" + out);
        assertThat(ra.exitCode()).as(out).isZero();
        assertThat(rb.exitCode()).as(out).isZero();

        String bList = Files.readString(share.resolve("b-lnc.txt"));
        assertThat(bList).as(out).containsPattern("UDP\\s+\\S+\\s+UDP\\s+203\\.0\\.113\\.2:40000\\s+203\\.0\\.113\\.1:5000\\s+198\\.51\\.100\\.2:5000")
                .containsPattern("TCP\\s+\\S+\\s+ESTABLISHED\\s+203\\.0\\.113\\.2:40001\\s+203\\.0\\.113\\.1:5001\\s+198\\.51\\.100\\.2:5001");
        // /proc/net/ip_vs_conn_sync marks connections the backup daemon created as synced
        List<String> synced = Files.readAllLines(share.resolve("b-sync.txt")).stream()
                .filter(l -> l.contains("CB007102")).toList();
        assertThat(synced).as(Files.readString(share.resolve("b-sync.txt"))).isNotEmpty().allMatch(l -> l.contains("SYNC"));
        String aStats = Files.readString(share.resolve("a.stats"));
        String bStats = Files.readString(share.resolve("b.stats"));
        assertThat(aStats).as(out).doesNotContain("captured=0 ");
        assertThat(bStats).as(out).doesNotContain("injected=0 ").contains("injectFailures=0 ");
        // the control: once b's relay stopped, a's kernel master still synced a new flow (a's capture saw it), and
        // b's kernel backup never heard of it — the kernels do not talk directly
        assertThat(out).doesNotContain("control flow not captured");
        assertThat(Files.readString(share.resolve("a-lnc.txt"))).as(out).contains("203.0.113.2:40002");
        assertThat(Files.readString(share.resolve("b-control.txt"))).as(out).doesNotContain("203.0.113.2:40002")
                .contains("203.0.113.2:40000");
    }
}
