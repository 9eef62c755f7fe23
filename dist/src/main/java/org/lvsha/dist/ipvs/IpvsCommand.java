package org.lvsha.dist.ipvs;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

import org.lvsha.core.ipvs.InMemoryIpvs;
import org.lvsha.core.ipvs.Ipvs;
import org.lvsha.core.ipvs.admin.Ipvsadm;
import org.lvsha.core.ipvs.admin.SavedTableFile;
import org.lvsha.core.ipvs.kernel.GenlTransport;
import org.lvsha.core.ipvs.kernel.KernelIpvs;
import org.lvsha.core.ipvs.kernel.NetlinkGenlTransport;

import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

/**
 * {@code lvsha ipvs ...}: ipvsadm's command line ({@link Ipvsadm} in ha-core) with the adapter chosen by
 * {@code --backend kernel|memory|userspace} (default kernel) and, for memory, {@code --state FILE} to keep the table between
 * invocations; userspace talks to a running {@code lvsha dataplane} over its control socket ({@code --control PATH}). Every other argument is passed through untouched, so ipvsadm's clustered short options work.
 *
 * <p>The kernel backend talks to the IPVS generic-netlink family through {@link NetlinkGenlTransport}, opened in
 * the caller's network namespace for this one invocation; tests pass another transport with
 * {@link #IpvsCommand(Supplier)}.
 */
@Command(name = "ipvs", description = "ipvsadm-compatible view and control of the IPVS table (ipvsadm 1.31 syntax).")
public final class IpvsCommand implements Callable<Integer> {

    @Unmatched
    List<String> args = new ArrayList<>();

    private final Supplier<GenlTransport> kernelTransport;

    public IpvsCommand() {
        this(NetlinkGenlTransport::open);
    }

    public IpvsCommand(Supplier<GenlTransport> kernelTransport) {
        this.kernelTransport = kernelTransport;
    }

    @Override
    public Integer call() {
        String backend = "kernel";
        Path state = null;
        Path control = Path.of(org.lvsha.dist.dataplane.IpvsadmControlProtocol.DEFAULT_PATH);
        List<String> rest = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("--backend") && i + 1 < args.size()) {
                backend = args.get(++i);
            } else if (a.startsWith("--backend=")) {
                backend = a.substring("--backend=".length());
            } else if (a.equals("--state") && i + 1 < args.size()) {
                state = Path.of(args.get(++i));
            } else if (a.startsWith("--state=")) {
                state = Path.of(a.substring("--state=".length()));
            } else if (a.equals("--control") && i + 1 < args.size()) {
                control = Path.of(args.get(++i));
            } else {
                rest.add(a);
            }
        }
        String[] argv = rest.toArray(String[]::new);
        try {
            switch (backend) {
                case "kernel" -> {
                    GenlTransport transport = kernelTransport.get();
                    try {
                        Ipvs ipvs = new KernelIpvs(transport);
                        return new Ipvsadm(ipvs, System.in, System.out, System.err).run(argv);
                    } finally {
                        if (transport instanceof AutoCloseable c) {
                            closeQuietly(c);
                        }
                    }
                }
                case "memory" -> {
                    SavedTableFile file = state == null ? null : new SavedTableFile(state);
                    InMemoryIpvs ipvs = file == null ? new InMemoryIpvs() : file.load();
                    int rc = new Ipvsadm(ipvs, System.in, System.out, System.err).run(argv);
                    if (rc == 0 && file != null) {
                        file.save(ipvs);
                    }
                    return rc;
                }
                case "userspace" -> {
                    return org.lvsha.dist.dataplane.DataplaneCommand.remote(control, rest);
                }
                default -> {
                    System.err.println("unknown backend " + backend + " (kernel, memory or userspace)");
                    return 2;
                }
            }
        } catch (IllegalStateException | UncheckedIOException e) {
            // e.g. the netlink socket cannot be opened (ErrnoException names the call and errno)
            System.err.println(e.getMessage());
            return 1;
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            System.err.println("closing the netlink socket: " + e.getMessage());
        }
    }
}
