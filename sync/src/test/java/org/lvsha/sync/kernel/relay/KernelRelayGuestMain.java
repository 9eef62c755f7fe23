package org.lvsha.sync.kernel.relay;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import org.lvsha.sync.kernel.KernelSyncCodec;
import org.lvsha.sync.kernel.KernelSyncConnection;
import org.lvsha.sync.kernel.KernelSyncCounters;
import org.lvsha.sync.kernel.KernelSyncDecodeResult;
import org.lvsha.sync.replication.ConnectionReplicator;
import org.lvsha.sync.replication.SyncConfig;

/**
 * Runs inside a kernel-vm guest next to a real kernel sync daemon.
 *
 * <pre>
 * decode IFACE PORT SYNC_ID OUT_FILE SECONDS
 *     capture the local kernel master's datagrams and write each decoded connection as a line
 *     "proto caddr:cport vaddr:vport daddr:dport state=S flags=0xF" to OUT_FILE
 * relay IFACE BIND_IP SYNC_ID DIR NAME SECONDS
 *     a KernelRelay over a JGroups channel bound to BIND_IP; writes DIR/NAME.ready when the replicator is
 *     ready, DIR/NAME.stats with its counters every second, and stops when DIR/NAME.stop appears
 * </pre>
 * Every loop is bounded by SECONDS.
 */
public final class KernelRelayGuestMain {
    private KernelRelayGuestMain() {
    }

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "decode" -> decode(args[1], Integer.parseInt(args[2]), Integer.parseInt(args[3]), Path.of(args[4]),
                    Integer.parseInt(args[5]));
            case "relay" -> relay(args[1], InetAddress.getByName(args[2]), Integer.parseInt(args[3]), Path.of(args[4]), args[5],
                    Integer.parseInt(args[6]));
            default -> throw new IllegalArgumentException(args[0]);
        }
        System.exit(0);
    }

    static String line(KernelSyncConnection c) throws IOException {
        return c.protocol() + " " + InetAddress.getByAddress(c.clientAddress()).getHostAddress() + ":" + c.clientPort()
                + " " + InetAddress.getByAddress(c.virtualAddress()).getHostAddress() + ":" + c.virtualPort()
                + " " + InetAddress.getByAddress(c.destinationAddress()).getHostAddress() + ":" + c.destinationPort()
                + " state=" + c.state() + " flags=0x" + Integer.toHexString(c.flags()) + " timeout=" + c.timeoutSeconds();
    }

    static void decode(String iface, int port, int syncId, Path out, int seconds) throws Exception {
        KernelSyncCounters counters = new KernelSyncCounters();
        try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(out, StandardCharsets.UTF_8));
             KernelSyncCapture capture = new KernelSyncCapture(NetworkInterface.getByName(iface),
                     InetAddress.getByName("224.0.0.81"), port, -1, (buf, off, len) -> {
                         KernelSyncDecodeResult r = KernelSyncCodec.decode(buf, off, len, syncId);
                         counters.record(r);
                         if (r.isAccepted()) {
                             synchronized (w) {
                                 for (KernelSyncConnection c : r.message().connections()) {
                                     try {
                                         w.println(line(c));
                                     } catch (IOException e) {
                                         throw new IllegalStateException(e);
                                     }
                                 }
                                 w.flush();
                             }
                         }
                     })) {
            Files.writeString(out.resolveSibling(out.getFileName() + ".capturing"), "ok\n");
            Path stop = out.resolveSibling(out.getFileName() + ".stop");
            long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
            while (System.nanoTime() < end && !Files.exists(stop)) {
                Thread.sleep(100);
            }
            System.out.println("capture: datagrams=" + capture.datagrams() + " accepted=" + counters.datagramsAccepted()
                    + " entries=" + counters.entriesAccepted() + " rejections=" + counters.rejections());
        }
    }

    static void relay(String iface, InetAddress bind, int syncId, Path dir, String name, int seconds) throws Exception {
        SyncConfig config = SyncConfig.builder("kernel-relay", syncId)
                .multicast(bind, InetAddress.getByName("239.192.81.9"), 45599)
                .joinTimeout(Duration.ofMillis(5000)) // emulated guests on a loaded host answer slowly
                .failureDetectionTimeout(Duration.ofSeconds(20))
                .stateTimeout(Duration.ofSeconds(30))
                .build();
        try (ConnectionReplicator replicator = ConnectionReplicator.start(config);
             KernelRelay relay = KernelRelay.start(replicator, KernelRelaySettings.defaults(iface, syncId))) {
            Path stop = dir.resolve(name + ".stop");
            long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
            boolean announced = false;
            while (System.nanoTime() < end && !Files.exists(stop)) {
                if (!announced && replicator.isReady()) {
                    Files.writeString(dir.resolve(name + ".ready"), "members=" + replicator.members().size() + "\n");
                    announced = true;
                }
                Files.writeString(dir.resolve(name + ".stats"), stats(replicator, relay), StandardOpenOption.CREATE,
                        StandardOpenOption.TRUNCATE_EXISTING);
                Thread.sleep(500);
            }
            System.out.println(name + ": " + stats(replicator, relay));
        }
    }

    static String stats(ConnectionReplicator r, KernelRelay k) {
        return "members=" + r.members().size() + " store=" + r.store().size() + " captured=" + k.capture().datagrams()
                + " decodedEntries=" + k.relay().counters().entriesAccepted() + " published=" + r.metrics().eventsPublished()
                + " applied=" + r.metrics().eventsApplied() + " injected=" + k.relay().datagramsInjected()
                + " injectFailures=" + k.relay().injectFailures() + " ownIgnored=" + k.capture().ownDatagrams() + "\n";
    }
}
