package org.lvsha.dist.dataplane;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.lvsha.dist.lab.AddressPlan;
import org.lvsha.dist.lab.LabProcess;
import org.lvsha.dist.lab.Layout;
import org.lvsha.dist.lab.RunningLab;

/**
 * A running lab with the userspace data plane on dir1 (what the lab tests and the benchmark share): the VIP (and in
 * NAT the DIP) added by hand on dir1, TSO/GSO switched off on the client's and real servers' links (the data plane
 * forwards Ethernet frames, not the 64 KiB super-frames veth would otherwise carry), and {@code lvsha dataplane}
 * spawned in dir1's namespace with a control socket. Everything it makes lives in the lab's namespaces, so closing
 * the {@link RunningLab} removes it.
 */
public final class DataplaneLab {
    private final RunningLab lab;
    private final Path control;
    private final List<String> extraArgs;
    private Process process;

    private DataplaneLab(RunningLab lab, Path control, List<String> extraArgs) {
        this.lab = lab;
        this.control = control;
        this.extraArgs = extraArgs;
    }

    /** Prepares the lab and starts the data plane with {@code workers} workers. */
    public static DataplaneLab start(RunningLab lab, int workers) {
        Path control = lab.logDir().resolve("dataplane.sock");
        DataplaneLab d = new DataplaneLab(lab, control, List.of("--workers", Integer.toString(workers)));
        d.prepareHosts();
        d.startDataPlane();
        return d;
    }

    private void prepareHosts() {
        var topo = lab.topology();
        var netns = lab.netns();
        List<String> hosts = new ArrayList<>(List.of("client"));
        hosts.addAll(topo.lab().realServerNames());
        for (String h : hosts) {
            netns.exec(topo.ns(h), "ethtool", "-K", "eth0", "tso", "off", "gso", "off", "gro", "off");
        }
        String dir1 = topo.ns("dir1");
        netns.exec(dir1, "ip", "addr", "add", AddressPlan.VIP4 + "/32", "dev", "eth0", "label", AddressPlan.VIP_LABEL);
        if (topo.lab().layout() == Layout.NAT) {
            netns.exec(dir1, "ip", "addr", "add", AddressPlan.DIP4 + "/24", "dev", "eth1", "label", AddressPlan.DIP_LABEL);
        }
    }

    /** (Re)starts {@code lvsha dataplane} in dir1 and waits until it reports ready. */
    public void startDataPlane() {
        List<String> args = new ArrayList<>(List.of("dataplane", "--outside", "eth0", "--inside", "eth1",
                "--control", control.toString(), "--capacity", "65536"));
        args.addAll(extraArgs);
        process = lab.spawn("dir1", List.of("-Xmx256m", "-XX:+UseSerialGC"), args);
        LabProcess p = lab.processes().stream().filter(x -> x.pid() == process.pid()).findFirst().orElseThrow();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            String log = read(Path.of(p.log()));
            if (log.contains("dataplane ready")) {
                return;
            }
            if (!process.isAlive()) {
                throw new IllegalStateException("lvsha dataplane exited during start:\n" + log);
            }
            sleep(50);
        }
        throw new IllegalStateException("lvsha dataplane did not report ready within 60 s:\n" + read(Path.of(p.log())));
    }

    private static String read(Path log) {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Runs ipvsadm arguments against the running data plane (as {@code lvsha ipvs --backend userspace} does). */
    public IpvsadmControlProtocol.Reply ipvs(String... args) {
        return ipvsWithInput(new byte[0], args);
    }

    public IpvsadmControlProtocol.Reply ipvsWithInput(byte[] stdin, String... args) {
        try {
            return IpvsadmControlProtocol.call(control, List.of(args), stdin);
        } catch (IOException e) {
            throw new IllegalStateException("data plane control " + control + ": " + e.getMessage(), e);
        }
    }

    /** Like {@link #ipvs} but fails on a non-zero status; returns stdout. */
    public String ipvsOk(String... args) {
        IpvsadmControlProtocol.Reply r = ipvs(args);
        if (r.status() != 0) {
            throw new IllegalStateException("ipvs " + String.join(" ", args) + " failed (" + r.status() + "): " + r.err());
        }
        return r.out();
    }

    /** SIGTERM and wait: the data plane removes its nft table on the way out. */
    public int stop() {
        process.destroy();
        return waitFor();
    }

    /** SIGKILL (a crash): the nft table stays behind. */
    public int kill() {
        process.destroyForcibly();
        return waitFor();
    }

    private int waitFor() {
        try {
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    public Path control() {
        return control;
    }

    public RunningLab lab() {
        return lab;
    }

    /**
     * The handle of the data plane's nft table in dir1's namespace ({@code nft -a}), or -1 without one: every
     * reinstall of the table gives it a new handle.
     */
    public long nftTableHandle() {
        String out = lab.netns().exec(lab.topology().ns("dir1"), "nft", "-a", "list", "table", "inet",
                org.lvsha.core.dataplane.NftDropRules.TABLE).stdout();
        var m = java.util.regex.Pattern.compile("table inet \\S+ \\{ # handle (\\d+)").matcher(out);
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    /** {@code nft list tables} in dir1's namespace. */
    public String nftTables() {
        return lab.netns().exec(lab.topology().ns("dir1"), "nft", "list", "tables").stdout();
    }
}
