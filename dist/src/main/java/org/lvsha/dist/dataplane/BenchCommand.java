package org.lvsha.dist.dataplane;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.lvsha.core.dataplane.ConnectionListener;
import org.lvsha.core.dataplane.ConnectionTable;
import org.lvsha.core.lab.Privileges;
import org.lvsha.core.platform.NetworkNamespace;
import org.lvsha.dist.lab.AddressPlan;
import org.lvsha.dist.lab.Lab;
import org.lvsha.dist.lab.RunningLab;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code lvsha bench dataplane}: builds a DR lab with one real server, runs the userspace data plane on dir1, and
 * measures in one run (every loop bounded by {@code --seconds}):
 * <ol>
 *   <li>UDP packets/s forwarded by the data plane: a blaster in the client namespace sends to VIP:7000, a sink in
 *       rs1 counts what arrives;</li>
 *   <li>the same blaster to RIP:7000, routed by the kernel of the router namespace (same namespaces, one hop
 *       each), and the ratio;</li>
 *   <li>TCP connections/s (connect + close) through the data plane to VIP:9000, and routed to RIP:9000;</li>
 *   <li>memory per connection-table entry, by layout and measured on the heap.</li>
 * </ol>
 */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Benchmarks (not tests).",
        subcommands = BenchCommand.Dataplane.class)
public final class BenchCommand implements Runnable {
    @Override
    public void run() {
        System.out.println("usage: lvsha bench dataplane [--seconds N] [--workers N] [--payload BYTES]");
    }

    @Command(name = "dataplane", mixinStandardHelpOptions = true, description = "DR forwarding vs kernel routing in the lab.")
    public static final class Dataplane implements Callable<Integer> {
        @Option(names = "--seconds", defaultValue = "5", description = "Length of each measurement (default ${DEFAULT-VALUE}).")
        int seconds;

        @Option(names = "--workers", defaultValue = "2", description = "Data plane workers (default ${DEFAULT-VALUE}).")
        int workers;

        @Option(names = "--senders", defaultValue = "1", description = "Blaster threads in the client namespace (default ${DEFAULT-VALUE}).")
        int senders;

        @Option(names = "--payload", defaultValue = "18", description = "UDP payload bytes (default ${DEFAULT-VALUE}: 64-byte frames).")
        int payload;

        @Override
        public Integer call() throws Exception {
            if (!Privileges.netnsAvailable()) {
                System.err.println("bench dataplane needs root and network namespaces: " + Privileges.netnsUnavailableReason().orElse(""));
                return 1;
            }
            seconds = Math.max(1, Math.min(seconds, 60));
            try (RunningLab lab = RunningLab.start(Lab.dr(1))) {
                DataplaneLab dp = DataplaneLab.start(lab, workers);
                dp.ipvsOk("-A", "-u", AddressPlan.VIP4 + ":7000", "-s", "rr");
                dp.ipvsOk("-a", "-u", AddressPlan.VIP4 + ":7000", "-r", AddressPlan.rip4(1) + ":7000", "-g");
                dp.ipvsOk("-A", "-t", AddressPlan.VIP4 + ":9000", "-s", "rr");
                dp.ipvsOk("-a", "-t", AddressPlan.VIP4 + ":9000", "-r", AddressPlan.rip4(1) + ":9000", "-g");
                String client = lab.topology().ns("client");

                // Warm-up: JIT of the workers and resolution of every neighbour on the paths.
                udp(lab, AddressPlan.VIP4, 1);
                udp(lab, AddressPlan.rip4(1), 1);

                long[] dpUdp = udp(lab, AddressPlan.VIP4, seconds);
                long[] kUdp = udp(lab, AddressPlan.rip4(1), seconds);
                double dpPps = dpUdp[1] / (double) seconds;
                double kPps = kUdp[1] / (double) seconds;
                System.out.printf("UDP %d-byte payload, %d s each, %d data plane worker(s), %d sender thread(s), %d cores%n",
                        payload, seconds, workers, senders, Runtime.getRuntime().availableProcessors());
                System.out.printf("  data plane DR  : sent %,d  arrived %,d  = %,.0f pkt/s%n", dpUdp[0], dpUdp[1], dpPps);
                System.out.printf("  kernel routing : sent %,d  arrived %,d  = %,.0f pkt/s%n", kUdp[0], kUdp[1], kPps);
                System.out.printf("  ratio data plane / kernel = %.2f%n", kPps == 0 ? 0 : dpPps / kPps);

                int cps = Math.max(1, seconds / 2);
                long dpConns = connections(client, AddressPlan.VIP4, cps);
                long kConns = connections(client, AddressPlan.rip4(1), cps);
                System.out.printf("TCP connect+close, %d s each: data plane %,.0f conn/s, kernel routing %,.0f conn/s%n",
                        cps, dpConns / (double) cps, kConns / (double) cps);

                System.out.printf("Connection table: %d bytes per entry by layout; measured %.1f bytes per entry on the heap (16 x 65,536 entries)%n",
                        ConnectionTable.BYTES_PER_ENTRY, measuredBytesPerEntry());
                System.out.println("data plane counters:");
                System.out.print(dp.ipvs(IpvsadmControlProtocol.COUNTERS).out().indent(2));
                System.out.print(dp.ipvsOk("-L", "-n", "--stats"));
                dp.stop();
            }
            return 0;
        }

        /**
         * Blasts UDP from the client namespace for {@code secs} with {@code senders} threads and counts what reaches
         * rs1's eth0 (its receive counter in /proc/net/dev, so no socket on the receiving side costs CPU):
         * {sent, arrived}.
         */
        private long[] udp(RunningLab lab, String target, int secs) throws Exception {
            String clientNs = lab.topology().ns("client");
            String rsNs = lab.topology().ns("rs1");
            long before = rxPackets(lab, rsNs);
            java.util.List<CompletableFuture<Long>> blasters = new java.util.ArrayList<>();
            for (int t = 0; t < senders; t++) {
                blasters.add(CompletableFuture.supplyAsync(() -> NetworkNamespace.call(clientNs, () -> {
                    long n = 0;
                    try (java.nio.channels.DatagramChannel ch = java.nio.channels.DatagramChannel.open()) {
                        ch.connect(new InetSocketAddress(InetAddress.getByName(target), 7000));
                        java.nio.ByteBuffer p = java.nio.ByteBuffer.allocateDirect(payload);
                        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(secs);
                        while (System.nanoTime() < end) {
                            for (int i = 0; i < 64; i++) {
                                p.clear();
                                try {
                                    ch.write(p);
                                    n++;
                                } catch (java.io.IOException e) {
                                    // ICMP port unreachable reported back on a connected socket: not a loss.
                                }
                            }
                        }
                    }
                    return n;
                })));
            }
            long sent = 0;
            for (CompletableFuture<Long> b : blasters) {
                sent += b.get(secs + 30L, TimeUnit.SECONDS);
            }
            Thread.sleep(300);
            return new long[] {sent, rxPackets(lab, rsNs) - before};
        }

        private static long rxPackets(RunningLab lab, String ns) {
            for (String line : lab.netns().exec(ns, "cat", "/proc/net/dev").stdout().split("\n")) {
                String l = line.strip();
                if (l.startsWith("eth0:")) {
                    return Long.parseLong(l.substring(5).strip().split("\\s+")[1]);
                }
            }
            throw new IllegalStateException("no eth0 in " + ns);
        }

        /** Sequential TCP connect + close to target:9000 for {@code secs}; returns the successful count. */
        private long connections(String clientNs, String target, int secs) {
            return NetworkNamespace.call(clientNs, () -> {
                long n = 0;
                InetSocketAddress to = new InetSocketAddress(InetAddress.getByName(target), 9000);
                long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(secs);
                while (System.nanoTime() < end) {
                    try (Socket s = new Socket()) {
                        s.setSoLinger(true, 0);
                        s.connect(to, 1000);
                        n++;
                    } catch (java.io.IOException e) {
                        // counted as not made
                    }
                }
                return n;
            });
        }

        /**
         * Heap growth per entry over 16 tables of 65,536 entries (arrays small enough not to be G1 "humongous"
         * objects, which are rounded up to whole regions and would overstate the cost).
         */
        private static double measuredBytesPerEntry() {
            Runtime rt = Runtime.getRuntime();
            System.gc();
            long before = rt.totalMemory() - rt.freeMemory();
            ConnectionTable[] tables = new ConnectionTable[16];
            for (int i = 0; i < tables.length; i++) {
                tables[i] = new ConnectionTable(1 << 16, 100, ConnectionListener.NONE);
            }
            System.gc();
            long after = rt.totalMemory() - rt.freeMemory();
            java.lang.ref.Reference.reachabilityFence(tables);
            return (after - before) / (double) (tables.length << 16);
        }
    }
}
