package org.lvsha.dist.ipvs;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;
import org.lvsha.core.ipvs.admin.Ipvsadm;
import org.lvsha.core.ipvs.kernel.GenlMessage;
import org.lvsha.core.ipvs.kernel.GenlReply;
import org.lvsha.core.ipvs.kernel.GenlTransport;
import org.lvsha.core.ipvs.kernel.IpvsGenl;
import org.lvsha.core.ipvs.kernel.KernelIpvs;
import org.lvsha.core.ipvs.kernel.NetlinkGenlTransport;
import org.lvsha.dist.Lvsha;

import picocli.CommandLine;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

/**
 * Runs inside a kernel-vm guest (one JVM for the whole suite, since a JVM start costs about 2 s under TCG): reads
 * a script of ipvsadm-syntax steps, runs them against the guest's real IPVS through {@code lvsha ipvs} (in
 * process, through the {@link Lvsha} command line and the kernel adapter) and through the real {@code ipvsadm},
 * and writes a transcript (a properties file) that {@link KernelInteropTest} judges on the host.
 *
 * <p>Script lines ({@code #} starts a comment):
 * <ul>
 *   <li>{@code lvsha ARGS [< IN] [> OUT]} / {@code ipvsadm ARGS [< IN] [> OUT]}: one command, expected to succeed;
 *       stdin from / stdout to a file in the working directory. {@code lvsha-root ARGS} runs {@code lvsha ipvs ARGS}
 *       through the {@code lvsha} command line rather than its {@code ipvs} subcommand alone.</li>
 *   <li>{@code compare ARGS}: the same listing from both; ipvsadm runs before and after lvsha, and lvsha must match
 *       one of them byte for byte (see {@link #compare}).</li>
 *   <li>{@code refuse ERRNO ARGS}: both must refuse; lvsha must print ipvsadm's message and the errno name.</li>
 *   <li>{@code usage ARGS}: both must reject the command line itself (exit 2) without asking the kernel.</li>
 *   <li>{@code sh COMMAND}: bash, expected to exit 0 (traffic, interfaces, file comparisons).</li>
 *   <li>{@code wire ARGS}: the IPVS requests ipvsadm sends (read with strace) and those lvsha sends for the same
 *       command line must be the same bytes (genlmsghdr and attributes); the kernel's replies to lvsha are kept
 *       as vectors for the codec's unit tests.</li>
 *   <li>{@code contract CLASS}: runs a JUnit class (the {@code IpvsContract} subclass for the kernel).</li>
 * </ul>
 */
public final class KernelInteropDriver {

    private static final int COMPARE_ATTEMPTS = 8;

    private final Path dir;
    private final Properties transcript = new Properties();
    private int step;

    private KernelInteropDriver(Path dir) {
        this.dir = dir;
    }

    /** {@code args}: script file, transcript file; paths relative to the working directory. */
    public static void main(String[] args) throws IOException {
        Path script = Path.of(args[0]).toAbsolutePath();
        Path out = Path.of(args[1]).toAbsolutePath();
        KernelInteropDriver d = new KernelInteropDriver(script.getParent());
        long start = System.nanoTime();
        try {
            d.runScript(Files.readAllLines(script));
        } finally {
            d.transcript.setProperty("steps", Integer.toString(d.step));
            d.transcript.setProperty("millis", Long.toString((System.nanoTime() - start) / 1_000_000));
            try (OutputStream o = Files.newOutputStream(out)) {
                d.transcript.store(o, "lvsha kernel interop transcript");
            }
        }
        // picocli, jnr and the JUnit launcher may leave non-daemon threads; the transcript is written.
        System.exit(0);
    }

    private void runScript(List<String> lines) {
        for (int n = 0; n < lines.size(); n++) {
            String line = lines.get(n).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            step++;
            String key = "step." + step;
            transcript.setProperty(key + ".line", Integer.toString(n + 1));
            transcript.setProperty(key + ".text", line);
            long t0 = System.nanoTime();
            try {
                runStep(key, line);
            } catch (RuntimeException | IOException e) {
                StringWriter w = new StringWriter();
                e.printStackTrace(new PrintWriter(w));
                transcript.setProperty(key + ".exception", w.toString());
            }
            transcript.setProperty(key + ".millis", Long.toString((System.nanoTime() - t0) / 1_000_000));
        }
    }

    private void runStep(String key, String line) throws IOException {
        int space = line.indexOf(' ');
        String kind = space < 0 ? line : line.substring(0, space);
        String rest = space < 0 ? "" : line.substring(space + 1).strip();
        transcript.setProperty(key + ".kind", kind);
        switch (kind) {
            case "lvsha" -> record(key + ".lvsha", lvsha(Command.parse(rest)));
            case "lvsha-root" -> record(key + ".lvsha", lvsha(Command.parse(rest), true));
            case "ipvsadm" -> record(key + ".ipvsadm", ipvsadm(Command.parse(rest)));
            case "sh" -> record(key + ".sh", process(List.of("bash", "-c", rest), null, null));
            case "compare" -> compare(key, Command.parse(rest));
            case "usage" -> {
                Command c = Command.parse(rest);
                record(key + ".ipvsadm", ipvsadm(c));
                record(key + ".lvsha", lvsha(c));
            }
            case "refuse" -> {
                int sp = rest.indexOf(' ');
                transcript.setProperty(key + ".errno", rest.substring(0, sp));
                Command c = Command.parse(rest.substring(sp + 1).strip());
                record(key + ".ipvsadm", ipvsadm(c));
                record(key + ".lvsha", lvsha(c));
            }
            case "contract" -> contract(key, rest);
            case "wire" -> wire(key, Command.parse(rest));
            default -> throw new IllegalArgumentException("unknown step kind " + kind);
        }
    }

    /**
     * ipvsadm, lvsha, ipvsadm: lvsha must print exactly what one of the ipvsadm runs that bracket it printed. Counters,
     * rate estimates (the kernel updates them every 2 s) and connection expiry (whole seconds left) may move between
     * two runs; then the triple is repeated, a bounded number of times.
     */
    private void compare(String key, Command c) throws IOException {
        Outcome reference = null;
        Outcome mine = null;
        int attempt = 0;
        boolean matched = false;
        while (!matched && attempt < COMPARE_ATTEMPTS) {
            attempt++;
            Outcome before = ipvsadm(c);
            mine = lvsha(c);
            Outcome after = ipvsadm(c);
            matched = mine.stdout.equals(before.stdout) || mine.stdout.equals(after.stdout);
            reference = mine.stdout.equals(after.stdout) ? after : before;
        }
        transcript.setProperty(key + ".attempts", Integer.toString(attempt));
        transcript.setProperty(key + ".stable", Boolean.toString(matched));
        record(key + ".ipvsadm", reference);
        record(key + ".lvsha", mine);
    }

    private void record(String prefix, Outcome o) {
        transcript.setProperty(prefix + ".rc", Integer.toString(o.rc));
        transcript.setProperty(prefix + ".out", o.stdout);
        transcript.setProperty(prefix + ".err", o.stderr);
    }

    private record Outcome(int rc, String stdout, String stderr) {
    }

    /** A command line with optional {@code < in} and {@code > out} at the end. */
    private record Command(List<String> args, String in, String out) {
        static Command parse(String text) {
            List<String> t = new ArrayList<>(Arrays.asList(text.split("\\s+")));
            String in = null;
            String out = null;
            while (t.size() >= 2 && (t.get(t.size() - 2).equals("<") || t.get(t.size() - 2).equals(">"))) {
                String file = t.remove(t.size() - 1);
                if (t.remove(t.size() - 1).equals("<")) {
                    in = file;
                } else {
                    out = file;
                }
            }
            if (t.size() == 1 && t.get(0).isEmpty()) {
                t.clear();
            }
            return new Command(List.copyOf(t), in, out);
        }
    }

    private Outcome lvsha(Command c) throws IOException {
        return lvsha(c, false);
    }

    /**
     * {@code lvsha ipvs ARGS} in this JVM with System.in/out/err redirected: through the {@link IpvsCommand} that
     * {@code lvsha} registers, or with {@code root} through the {@link Lvsha} command line itself. Building the
     * root builds every subcommand (about 10 ms on the host, a quarter of a second under TCG), so only the
     * {@code lvsha-root} steps pay for it.
     */
    private Outcome lvsha(Command c, boolean root) throws IOException {
        List<String> argv = new ArrayList<>();
        if (root) {
            argv.add("ipvs");
        }
        argv.addAll(c.args());
        InputStream in = c.in() == null ? new ByteArrayInputStream(new byte[0]) : Files.newInputStream(dir.resolve(c.in()));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        InputStream savedIn = System.in;
        PrintStream savedOut = System.out;
        PrintStream savedErr = System.err;
        int rc;
        try (in) {
            System.setIn(in);
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            CommandLine cli = root ? new CommandLine(new Lvsha()) : new CommandLine(new IpvsCommand());
            rc = cli.execute(argv.toArray(String[]::new));
        } finally {
            System.out.flush();
            System.err.flush();
            System.setIn(savedIn);
            System.setOut(savedOut);
            System.setErr(savedErr);
        }
        Outcome o = new Outcome(rc, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        if (c.out() != null) {
            Files.writeString(dir.resolve(c.out()), o.stdout);
        }
        return o;
    }

    private Outcome ipvsadm(Command c) throws IOException {
        List<String> argv = new ArrayList<>();
        argv.add("ipvsadm");
        argv.addAll(c.args());
        return process(argv, c.in(), c.out());
    }

    private Outcome process(List<String> argv, String in, String out) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(argv).directory(dir.toFile());
        pb.redirectInput(in == null ? ProcessBuilder.Redirect.from(new java.io.File("/dev/null")) : ProcessBuilder.Redirect.from(dir.resolve(in).toFile()));
        Path errFile = Files.createTempFile("interop", ".err");
        Path outFile = Files.createTempFile("interop", ".out");
        pb.redirectError(errFile.toFile());
        pb.redirectOutput(outFile.toFile());
        Process p = pb.start();
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Outcome(124, Files.readString(outFile), Files.readString(errFile) + "\n(killed after 60 s)");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new IllegalStateException("interrupted", e);
        }
        Outcome o = new Outcome(p.exitValue(), Files.readString(outFile), Files.readString(errFile));
        Files.delete(outFile);
        Files.delete(errFile);
        if (out != null) {
            Files.writeString(dir.resolve(out), o.stdout);
        }
        return o;
    }

    /**
     * ipvsadm under strace, then lvsha's {@link Ipvsadm} over a transport that records what it sends. ipvsadm goes
     * first and changes the table; lvsha's copy of a changing command is then usually refused (EEXIST, ESRCH), which
     * does not matter here: what is compared is the request. GET_INFO is left out on both sides: libipvs sends
     * it from ipvs_init() before every command, lvsha only for -L.
     */
    private void wire(String key, Command c) throws IOException {
        int family;
        try (NetlinkGenlTransport t = NetlinkGenlTransport.open()) {
            family = t.resolveFamily(IpvsGenl.FAMILY_NAME);
        }
        Path trace = dir.resolve("wire-" + key + ".trace");
        List<String> argv = new ArrayList<>(List.of("strace", "-qq", "-e", "trace=sendmsg", "-e", "write=all", "-o", trace.toString(), "ipvsadm"));
        argv.addAll(c.args());
        Outcome reference = process(argv, c.in(), null);
        record(key + ".ipvsadm", reference);
        List<String> sent = new ArrayList<>();
        for (byte[] m : StraceDump.sentMessages(Files.readAllLines(trace))) {
            ByteBuffer b = ByteBuffer.wrap(m).order(ByteOrder.LITTLE_ENDIAN);
            if (m.length >= 20 && (b.getShort(4) & 0xffff) == family && (m[16] & 0xff) != IpvsGenl.CMD_GET_INFO) {
                sent.add(hex(Arrays.copyOfRange(m, 16, m.length)));
            }
        }
        Files.delete(trace);
        transcript.setProperty(key + ".ipvsadm.sent", String.join("\n", sent));

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try (RecordingTransport rec = new RecordingTransport();
             InputStream in = c.in() == null ? new ByteArrayInputStream(new byte[0]) : Files.newInputStream(dir.resolve(c.in()))) {
            int rc = new Ipvsadm(new KernelIpvs(rec), in, new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8)).run(c.args().toArray(String[]::new));
            record(key + ".lvsha", new Outcome(rc, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8)));
            transcript.setProperty(key + ".lvsha.sent", String.join("\n", rec.sent));
            transcript.setProperty(key + ".lvsha.received", String.join("\n", rec.received));
        }
    }

    static String hex(byte[] b) {
        StringBuilder sb = new StringBuilder();
        for (byte x : b) {
            if (sb.length() > 0) {
                sb.append(' ');
            }
            sb.append(String.format("%02x", x & 0xff));
        }
        return sb.toString();
    }

    /** The platform transport, recording each request (genlmsghdr + attributes) and each reply, in hex. */
    private static final class RecordingTransport implements GenlTransport, AutoCloseable {
        private final NetlinkGenlTransport inner = NetlinkGenlTransport.open();
        final List<String> sent = new ArrayList<>();
        final List<String> received = new ArrayList<>();

        @Override
        public int resolveFamily(String name) {
            return inner.resolveFamily(name);
        }

        @Override
        public GenlReply request(int familyId, int command, int version, int flags, byte[] attributes) {
            if (command != IpvsGenl.CMD_GET_INFO) {
                sent.add(hex(new GenlMessage(command, flags, attributes).toBytes()));
            }
            GenlReply r = inner.request(familyId, command, version, flags, attributes);
            if (r.errno() != 0) {
                received.add("errno " + r.errno());
            }
            for (byte[] m : r.messages()) {
                received.add(hex(m));
            }
            return r;
        }

        @Override
        public void close() {
            inner.close();
        }
    }

    /** Runs one JUnit class through the platform launcher; records counts and the failures. */
    private void contract(String key, String className) {
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request().selectors(selectClass(className)).build();
        Launcher launcher = LauncherFactory.create();
        SummaryGeneratingListener listener = new SummaryGeneratingListener();
        launcher.execute(request, listener);
        TestExecutionSummary s = listener.getSummary();
        StringWriter w = new StringWriter();
        s.printFailuresTo(new PrintWriter(w), 15);
        transcript.setProperty(key + ".found", Long.toString(s.getTestsFoundCount()));
        transcript.setProperty(key + ".succeeded", Long.toString(s.getTestsSucceededCount()));
        transcript.setProperty(key + ".failed", Long.toString(s.getTotalFailureCount()));
        transcript.setProperty(key + ".skipped", Long.toString(s.getTestsSkippedCount() + s.getTestsAbortedCount()));
        transcript.setProperty(key + ".failures", w.toString());
    }
}
