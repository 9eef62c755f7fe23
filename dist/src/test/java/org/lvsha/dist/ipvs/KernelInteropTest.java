package org.lvsha.dist.ipvs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Properties;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestFactory;
import org.lvsha.core.lab.KernelVm;
import org.lvsha.core.lab.Shell;

/**
 * lvsha's kernel adapter against a real kernel (Debian 6.1 with ip_vs, under kernel-vm) and the real ipvsadm
 * 1.31: one guest boot, one JVM in it ({@link KernelInteropDriver}) running {@code ipvs-interop/interop.script},
 * then one dynamic test per script step, judged here from the transcript.
 *
 * <p>The guest runs the driver from this JVM's own test classpath ({@code target/classes}, {@code target/test-classes},
 * ha-core's jar or classes and the dependency jars in the local Maven repository): kernel-vm shows the guest the host
 * root read-only at the same paths. That needs nothing from the {@code package} phase, so the suite runs in
 * surefire's {@code test} phase like every other test, offline, without a failsafe plugin.
 */
@Tag("kernelvm")
class KernelInteropTest {

    /** The script and what it uses (copied to the share, the guest's working directory). */
    private static final List<String> RESOURCES = List.of("interop.script", "traffic.py");

    @TestFactory
    Stream<DynamicTest> lvshaAndIpvsadmAgreeOnARealKernel() throws IOException {
        assumeTrue(KernelVm.unavailableReason().isEmpty(), () -> "skipped: " + KernelVm.unavailableReason().orElse(""));
        Path share = Files.createDirectories(Path.of("target/kvm-ipvs-interop").toAbsolutePath());
        for (String name : RESOURCES) {
            try (InputStream in = Objects.requireNonNull(getClass().getClassLoader().getResourceAsStream("ipvs-interop/" + name), name)) {
                Files.write(share.resolve(name), in.readAllBytes());
            }
        }
        Path transcriptFile = share.resolve("transcript.properties");
        Files.deleteIfExists(transcriptFile);
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        // C1 only and the serial collector: under TCG the JIT's second tier costs more than it ever pays back.
        Files.writeString(share.resolve("driver.args"), String.join("\n",
                "-cp", KernelVm.guestClasspath(share),
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx256m", "-Djava.net.preferIPv4Stack=false",
                KernelInteropDriver.class.getName(), "interop.script", "transcript.properties") + "\n");
        Path guestScript = share.resolve("guest.sh");
        Files.writeString(guestScript, "set -u\ncd /share\nexec " + java + " @driver.args\n");

        long start = System.nanoTime();
        Shell.Result r = KernelVm.find().orElseThrow()
                .run(KernelVm.Guest.named("ipvs-interop", share).withTimeout(Duration.ofSeconds(280)), guestScript);
        long seconds = (System.nanoTime() - start) / 1_000_000_000L;
        Files.writeString(share.resolve("guest.log"), "exit " + r.exitCode() + " after " + seconds + " s\n--- stdout\n"
                + r.stdout() + "\n--- stderr\n" + r.stderr());
        assertThat(transcriptFile).as("guest exit %d after %d s; stdout:%n%s%nstderr:%n%s", r.exitCode(), seconds, r.stdout(), r.stderr())
                .exists();
        Properties t = new Properties();
        try (Reader reader = Files.newBufferedReader(transcriptFile, StandardCharsets.ISO_8859_1)) {
            t.load(reader);
        }
        System.out.printf("kernel interop: guest %d s in all, driver %s ms, %s steps%n", seconds, t.getProperty("millis"), t.getProperty("steps"));

        List<DynamicTest> tests = new ArrayList<>();
        int steps = Integer.parseInt(t.getProperty("steps", "0"));
        for (int i = 1; i <= steps; i++) {
            Step s = new Step(t, "step." + i);
            tests.add(DynamicTest.dynamicTest("line " + s.get("line") + ": " + s.get("text"), s::check));
        }
        return tests.stream();
    }

    /** One step of the transcript and the rule that judges it. */
    private record Step(Properties t, String key) {
        String get(String suffix) {
            return t.getProperty(key + "." + suffix, "");
        }

        int rc(String tool) {
            return Integer.parseInt(t.getProperty(key + "." + tool + ".rc", "-1"));
        }

        String describe(String tool) {
            return tool + " exit " + rc(tool) + "\n--- stdout\n" + get(tool + ".out") + "--- stderr\n" + get(tool + ".err");
        }

        void check() {
            assertThat(get("exception")).as("driver exception").isEmpty();
            switch (get("kind")) {
                case "lvsha", "lvsha-root", "ipvsadm", "sh" -> {
                    String tool = get("kind").startsWith("lvsha") ? "lvsha" : get("kind");
                    assertThat(rc(tool)).as(describe(tool)).isZero();
                }
                case "compare" -> {
                    assertThat(rc("ipvsadm")).as(describe("ipvsadm")).isZero();
                    assertThat(rc("lvsha")).as(describe("lvsha")).isZero();
                    assertThat(get("lvsha.out")).as("lvsha ipvs output, byte for byte (%s attempts)", get("attempts"))
                            .isEqualTo(get("ipvsadm.out"));
                }
                case "wire" -> {
                    assertThat(rc("ipvsadm")).as(describe("ipvsadm")).isZero();
                    List<String> theirs = List.of(get("ipvsadm.sent").split("\n"));
                    List<String> ours = List.of(get("lvsha.sent").split("\n"));
                    assertThat(theirs).as("ipvsadm's requests (strace)").isNotEmpty().doesNotContain("");
                    // Any order: ipvsadm asks for each service's destinations in its sorted order, lvsha in dump order.
                    assertThat(ours).as("lvsha's requests, genlmsghdr and attributes, against ipvsadm's").containsExactlyInAnyOrderElementsOf(theirs);
                }
                case "usage" -> {
                    assertThat(rc("ipvsadm")).as(describe("ipvsadm")).isEqualTo(2);
                    assertThat(rc("lvsha")).as(describe("lvsha")).isEqualTo(2);
                }
                case "refuse" -> {
                    assertThat(rc("ipvsadm")).as(describe("ipvsadm")).isNotZero();
                    assertThat(rc("lvsha")).as(describe("lvsha")).isEqualTo(1);
                    String ipvsadmText = get("ipvsadm.err").strip();
                    String lvshaText = get("lvsha.err").strip();
                    assertThat(lvshaText).as("lvsha's refusal starts with ipvsadm's text").startsWith(ipvsadmText);
                    assertThat(lvshaText).as("and names the errno").endsWith("(" + get("errno") + ")");
                }
                case "contract" -> {
                    assertThat(get("failures")).as("contract failures").doesNotContain("MethodSource");
                    assertThat(Integer.parseInt(get("failed"))).as(get("failures")).isZero();
                    assertThat(Integer.parseInt(get("succeeded"))).as("contract tests run (%s skipped)", get("skipped")).isPositive();
                }
                default -> throw new AssertionError("unknown step kind " + get("kind"));
            }
        }
    }
}
