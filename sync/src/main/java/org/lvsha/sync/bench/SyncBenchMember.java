package org.lvsha.sync.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import org.lvsha.sync.replication.ConnectionReplicator;
import org.lvsha.sync.replication.SyncConfig;
import org.lvsha.sync.store.ConnectionEntry;

/**
 * One benchmark member in its own JVM (and network namespace), driven by {@link SyncBench --netns}
 * over stdin; replies are lines starting with {@code @@}.
 *
 * <pre>args: BIND_IP MCAST_GROUP MCAST_PORT KEY_FILE
 * stdin: burst FROM N | rate FROM R SECONDS | applied | lag | resetlag | size | state | quit</pre>
 */
public final class SyncBenchMember {
    private SyncBenchMember() {
    }

    public static void main(String[] args) throws Exception {
        long t0 = System.nanoTime();
        ConnectionReplicator r = ConnectionReplicator.start(SyncConfig.builder("bench", 1)
                .multicast(InetAddress.getByName(args[0]), InetAddress.getByName(args[1]), Integer.parseInt(args[2]))
                .keyFile(Path.of(args[3])).joinTimeout(Duration.ofMillis(1000)).build());
        r.ready().whenComplete((v, e) -> say(e != null ? "failed " + e
                : "ready size=" + r.store().size() + " ms=" + (System.nanoTime() - t0) / 1_000_000));
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        ConnectionEntry e = new ConnectionEntry();
        String line;
        while ((line = in.readLine()) != null) {
            String[] w = line.trim().split("\\s+");
            switch (w[0]) {
                case "burst" -> {
                    int from = Integer.parseInt(w[1]);
                    int n = Integer.parseInt(w[2]);
                    for (int i = from; i < from + n; i++) {
                        SyncBench.fill(e, i, 1);
                        r.connectionCreated(e);
                        if ((i & 1023) == 0) {
                            SyncBench.awaitSendRoom(r);
                        }
                    }
                    r.flush();
                    say("done");
                }
                case "rate" -> {
                    int from = Integer.parseInt(w[1]);
                    long rate = Long.parseLong(w[2]);
                    long total = rate * Long.parseLong(w[3]);
                    long start = System.nanoTime();
                    long i = 0;
                    while (i < total) {
                        long due = Math.min(total, (System.nanoTime() - start) * rate / 1_000_000_000L);
                        for (; i < due; i++) {
                            SyncBench.fill(e, (int) (from + i % 1_000_000), 4);
                            r.connectionChanged(e);
                        }
                        LockSupport.parkNanos(200_000);
                    }
                    r.flush();
                    say("done");
                }
                case "applied" -> say("applied " + r.metrics().eventsApplied());
                case "lag" -> say(String.format("lag p50 %.2f ms, p99 %.2f ms, p99.9 %.2f ms, max %.2f ms (%d samples)",
                        r.metrics().lag().percentileMicros(0.5) / 1000.0, r.metrics().lag().percentileMicros(0.99) / 1000.0,
                        r.metrics().lag().percentileMicros(0.999) / 1000.0, r.metrics().lag().percentileMicros(1.0) / 1000.0,
                        r.metrics().lag().count()));
                case "resetlag" -> {
                    r.metrics().lag().reset();
                    say("reset");
                }
                case "size" -> say("size " + r.store().size());
                case "state" -> say("state " + r.metrics().lastStateTransferMillis());
                case "stats" -> say("stats " + r.protocolStats(java.util.Arrays.copyOfRange(w, 1, w.length)));
                case "quit" -> {
                    r.close();
                    say("bye");
                    System.exit(0);
                }
                default -> say("unknown " + line);
            }
        }
        r.close();
    }

    private static synchronized void say(String s) {
        System.out.println("@@ " + s);
        System.out.flush();
    }
}
