package org.lvsha.sync.netns;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.lvsha.sync.replication.ConnectionReplicator;
import org.lvsha.sync.replication.SyncConfig;
import org.lvsha.sync.replication.SyncRejection;
import org.lvsha.sync.store.ConnectionEntry;

/**
 * One sync member as its own JVM, for the namespace tests: started inside a network namespace,
 * driven by commands on stdin, answering with lines that start with {@code @@}.
 *
 * <pre>
 * args: BIND_IP MCAST_GROUP MCAST_PORT CLUSTER SYNC_ID KEY_FILE
 * stdin: create FROM COUNT | size | has I | members | metrics | quit
 * </pre>
 */
public final class SyncNodeMain {
    private SyncNodeMain() {
    }

    static ConnectionEntry conn(int i) {
        return new ConnectionEntry().ipv4(6, 0xcb007100 + (i >>> 16), i & 0xffff, 0xcb007164, 80, 0xc000020b, 80)
                .state(1, 0x83, 0, 900);
    }

    public static void main(String[] args) throws Exception {
        SyncConfig config = SyncConfig.builder(args[3], Integer.parseInt(args[4]))
                .multicast(InetAddress.getByName(args[0]), InetAddress.getByName(args[1]), Integer.parseInt(args[2]))
                .keyFile(Path.of(args[5]))
                .joinTimeout(Duration.ofMillis(1000))
                .failureDetectionTimeout(Duration.ofSeconds(4))
                .build();
        ConnectionReplicator r = ConnectionReplicator.start(config);
        r.ready().whenComplete((v, e) -> {
            if (e != null) {
                say("failed " + e);
            } else {
                // the size at the moment the gate opens: what a daemon would see before taking over
                say("ready size=" + r.store().size() + " members=" + r.members().size() + " refused=" + r.refusedByCluster());
            }
        });
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            String[] w = line.trim().split("\\s+");
            switch (w[0]) {
                case "create" -> {
                    int from = Integer.parseInt(w[1]);
                    int n = Integer.parseInt(w[2]);
                    for (int i = from; i < from + n; i++) {
                        r.connectionCreated(conn(i));
                    }
                    r.flush();
                    say("created " + n);
                }
                case "size" -> say("size " + r.store().size());
                case "has" -> say("has " + w[1] + " " + r.store().find(conn(Integer.parseInt(w[1]))));
                case "members" -> say("members " + r.members().size());
                case "metrics" -> say("metrics wrongKey=" + r.metrics().rejected(SyncRejection.WRONG_KEY)
                        + " applied=" + r.metrics().eventsApplied() + " lagP50us=" + r.metrics().lag().percentileMicros(0.5)
                        + " lagP99us=" + r.metrics().lag().percentileMicros(0.99) + " recentLagP99us=" + r.metrics().recentLagP99Micros()
                        + " refused=" + r.refusedByCluster() + " ready=" + r.isReady());
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
