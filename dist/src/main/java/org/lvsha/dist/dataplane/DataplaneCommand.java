package org.lvsha.dist.dataplane;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import org.lvsha.core.dataplane.DataPlane;
import org.lvsha.core.dataplane.NftDropRules;
import org.lvsha.core.dataplane.UserspaceIpvs;
import org.lvsha.core.ipvs.admin.Ipvsadm;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code lvsha dataplane}: runs the embedded userspace IPVS data plane in the foreground until SIGTERM/SIGINT,
 * controllable with {@code lvsha ipvs --backend userspace [--control PATH] ...}. On exit it removes its nft table;
 * a table left by a crash is replaced at the next start.
 */
@Command(name = "dataplane", mixinStandardHelpOptions = true,
        description = "Run the userspace IPVS data plane (DR and NAT over AF_PACKET) in the foreground.")
public final class DataplaneCommand implements Callable<Integer> {
    @Option(names = "--outside", defaultValue = "eth0", description = "Interface of the clients and VIPs (default ${DEFAULT-VALUE}).")
    String outside;

    @Option(names = "--inside", defaultValue = "eth1", description = "Interface of the real servers (default ${DEFAULT-VALUE}).")
    String inside;

    @Option(names = "--workers", defaultValue = "0", description = "Forwarding threads; 0 = one per core, at most 2.")
    int workers;

    @Option(names = "--capacity", defaultValue = "262144", description = "Connections per worker (default ${DEFAULT-VALUE}).")
    int capacity;

    @Option(names = "--control", defaultValue = IpvsadmControlProtocol.DEFAULT_PATH, description = "Control socket (default ${DEFAULT-VALUE}).")
    Path control;

    @Option(names = "--restore", description = "A table in ipvsadm -S format to load at start.")
    Path restore;

    @Option(names = "--nft-table", defaultValue = NftDropRules.TABLE, description = "nftables table (inet) owned by the data plane.")
    String nftTable;

    @Override
    public Integer call() throws Exception {
        DataPlane.Config config = DataPlane.Config.of(outside, inside).withCapacity(capacity);
        config = new DataPlane.Config(config.outsideInterface(), config.insideInterface(),
                workers > 0 ? workers : config.workers(), capacity, nftTable);
        CountDownLatch stopped = new CountDownLatch(1);
        DataPlane plane = DataPlane.start(config);
        IpvsadmControlProtocol.Server server = null;
        try {
            UserspaceIpvs ipvs = new UserspaceIpvs(plane);
            if (restore != null) {
                int rc = new Ipvsadm(ipvs, Files.newInputStream(restore), System.out, System.err).run("-R");
                if (rc != 0) {
                    System.err.println("lvsha dataplane: restoring " + restore + " failed");
                    return rc;
                }
            }
            server = new IpvsadmControlProtocol.Server(control, ipvs, args -> format(plane.counters()));
            IpvsadmControlProtocol.Server s = server;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                s.close();
                plane.close();
                stopped.countDown();
            }, "lvsha-dataplane-stop"));
            System.out.println("dataplane ready outside=" + outside + " inside=" + inside + " workers="
                    + plane.workerCount() + " control=" + control + " nft=inet " + nftTable);
            System.out.flush();
            stopped.await();
            return 0;
        } catch (RuntimeException | Error e) {
            if (server != null) {
                server.close();
            }
            plane.close();
            throw e;
        }
    }

    static String format(Map<String, Long> counters) {
        StringBuilder b = new StringBuilder();
        counters.forEach((k, v) -> b.append(k).append(' ').append(v).append('\n'));
        return b.toString();
    }

    /** Runs {@code args} against the data plane behind {@code control}, printing its output; returns the status. */
    public static int remote(Path control, List<String> args) {
        try {
            byte[] stdin = args.contains("-R") || args.contains("--restore") ? System.in.readAllBytes() : new byte[0];
            IpvsadmControlProtocol.Reply r = IpvsadmControlProtocol.call(control, args, stdin);
            System.out.print(r.out());
            System.out.flush();
            System.err.print(r.err());
            return r.status();
        } catch (java.io.IOException e) {
            System.err.println("cannot reach the data plane at " + control + ": " + e.getMessage());
            return 1;
        }
    }
}
