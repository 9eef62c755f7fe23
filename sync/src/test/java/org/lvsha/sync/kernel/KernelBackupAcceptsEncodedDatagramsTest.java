package org.lvsha.sync.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Interop with a real kernel (Debian 6.1 under QEMU through /work/shared/tools/kernel-vm): a kernel
 * backup sync daemon (ipvsadm --start-daemon backup --syncid 7) accepts the v1 datagrams our codec
 * encodes, creates the connections (ipvsadm -Lnc shows them ESTABLISHED), and ignores a datagram
 * of another sync id.
 */
@Tag("kernelvm")
class KernelBackupAcceptsEncodedDatagramsTest {

    @Test
    void aKernelBackupDaemonCreatesTheConnectionsWeEncode() throws Exception {
        assumeTrue(org.lvsha.core.lab.KernelVm.unavailableReason().isEmpty(),
                () -> "skipped: " + org.lvsha.core.lab.KernelVm.unavailableReason().orElse(""));
        Path dir = Path.of("target", "kvm").toAbsolutePath();
        Files.createDirectories(dir);
        Path script = dir.resolve("kernel-backup.sh");
        Files.writeString(script, String.join("\n",
                "set -e",
                "ip netns add b",
                "ip link add v0 type veth peer name v1 netns b",
                "ip addr add 198.51.100.1/24 dev v0 && ip link set v0 up",
                "ip -n b link set lo up && ip -n b addr add 198.51.100.2/24 dev v1 && ip -n b link set v1 up",
                "ip route add 224.0.0.0/4 dev v0",
                "ip netns exec b ipvsadm --start-daemon backup --mcast-interface v1 --syncid 7",
                "sleep 1",
                "\"$JAVA\" -XX:TieredStopAtLevel=1 -cp \"$CP\" org.lvsha.sync.kernel.KernelSyncInjectMain 198.51.100.1 v0 7 300 0",
                "\"$JAVA\" -XX:TieredStopAtLevel=1 -cp \"$CP\" org.lvsha.sync.kernel.KernelSyncInjectMain 198.51.100.1 v0 8 40 1000",
                "sleep 1",
                "ip netns exec b ipvsadm -Lnc | head -4",
                "echo KERNEL_CONNS=$(ip netns exec b ipvsadm -Lnc | grep -c ESTABLISHED)",
                "echo FOREIGN=$(ip netns exec b ipvsadm -Lnc | grep -c '203.0.113.3:' || true)",
                ""), StandardCharsets.UTF_8);
        String java = ProcessHandle.current().info().command().orElse("java");
        Process p = new ProcessBuilder(List.of(org.lvsha.core.lab.KernelVm.find().orElseThrow().tool().toString(), "run", "--name", "kbackup", "--smp", "1", "--timeout", "150",
                "--share", dir.toString(), "--env", "JAVA=" + java, "--env", "CP=" + org.lvsha.core.lab.KernelVm.guestClasspath(dir),
                "--", script.toString()))
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(170, TimeUnit.SECONDS)).isTrue();
        Files.writeString(dir.resolve("kernel-backup.log"), out);
        assumeTrue(p.exitValue() != 125, () -> "skipped: kernel-vm could not boot a guest:\n" + out);
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).as(out).contains("KERNEL_CONNS=300").contains("FOREIGN=0");
    }
}
