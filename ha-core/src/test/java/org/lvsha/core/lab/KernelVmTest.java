package org.lvsha.core.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("kernelvm")
class KernelVmTest {

    @Test
    void guestHasIpvsAndSeesTheHostRootAndTheShare() throws Exception {
        assumeTrue(KernelVm.unavailableReason().isEmpty(), () -> "skipped: " + KernelVm.unavailableReason().orElse(""));
        Path share = Files.createDirectories(Path.of("target/kvm-smoke"));
        Path script = share.resolve("smoke.sh");
        Files.writeString(script, "set -e\ngrep -c . /proc/net/ip_vs >/dev/null\nipvsadm -Ln | head -1 > result.txt\nuname -r >> result.txt\n");
        Shell.Result r = KernelVm.find().orElseThrow().run(KernelVm.Guest.named("smoke", share), script);
        assertThat(r.exitCode()).as(r.stdout() + r.stderr()).isZero();
        String result = Files.readString(share.resolve("result.txt"));
        assertThat(result).startsWith("IP Virtual Server version");
    }
}
