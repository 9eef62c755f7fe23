package org.lvsha.sync.bench;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;
import org.lvsha.sync.replication.ConnectionReplicator;
import org.lvsha.sync.replication.SyncConfig;
import org.lvsha.sync.replication.SyncMetrics;
import org.lvsha.sync.store.ConnectionEntry;
import org.lvsha.sync.store.ReplicaStore;

/**
 * Connection-sync benchmark (a command, not a test). Two members in one JVM, encrypted and
 * authenticated with a throw-away key, over JGroups SHARED_LOOPBACK (default) or UDP multicast on
 * the loopback interface ({@code --udp}):
 * <ol>
 *   <li>throughput: one thread publishes N events on A as fast as it can; events/s until B applied all;</li>
 *   <li>lag: A publishes at a fixed rate for some seconds; p50/p99/max of event time → applied on B;</li>
 *   <li>state transfer: a third member joins while A holds 1 000 000 connections; time to ready;</li>
 *   <li>memory: bytes of the replica store's arrays per connection.</li>
 * </ol>
 * {@code java -cp … org.lvsha.sync.bench.SyncBench [--udp | --netns] [--events N] [--rate R] [--seconds S] [--state N] [--warmup N]}
 * ({@code --warmup N}: first N events on other keys, unmeasured, so that the JIT has compiled the path —
 * on 2 cores the compiler threads otherwise take about a third of the CPU during the throughput phase)
 * ({@code --netns}: one JVM per member, each in its own network namespace; see {@link NetnsSyncBench})
 */
public final class SyncBench {
    private SyncBench() {
    }

    public static void main(String[] args) throws Exception {
        boolean udp = false;
        boolean netns = false;
        int events = 2_000_000;
        int rate = 100_000;
        int seconds = 5;
        int stateEntries = 1_000_000;
        int warmup = 0;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--udp" -> udp = true;
                case "--netns" -> netns = true;
                case "--events" -> events = Integer.parseInt(args[++i]);
                case "--rate" -> rate = Integer.parseInt(args[++i]);
                case "--seconds" -> seconds = Integer.parseInt(args[++i]);
                case "--state" -> stateEntries = Integer.parseInt(args[++i]);
                case "--warmup" -> warmup = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (netns) {
            NetnsSyncBench.run(events, rate, seconds, stateEntries);
            System.exit(0);
        }
        Path key = Files.createTempFile("lvsha-bench", ".key");
        Files.writeString(key, "benchmark key " + ThreadLocalRandom.current().nextLong());
        String cluster = "bench" + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x10000));
        int port = 46000 + ThreadLocalRandom.current().nextInt(1000);
        String transport = udp ? "UDP multicast on loopback (127.0.0.1, 239.192.81.99:" + port + ")" : "JGroups SHARED_LOOPBACK";
        System.out.printf("transport: %s, encrypted (SYM_ENCRYPT AES/CBC) + HMAC-authenticated batches, %d cores%n",
                transport, Runtime.getRuntime().availableProcessors());

        try (ConnectionReplicator a = member(cluster, udp, port, key);
             ConnectionReplicator b = member(cluster, udp, port, key)) {
            await(a);
            await(b);
            waitMembers(b, 2);

            ConnectionEntry e = new ConnectionEntry();
            if (warmup > 0) {
                // 0. optional: let the JIT compile the whole path first (a daemon's steady state), on keys the
                // measured phases never use, removed again so the tables hold only what they held before
                long w0 = System.nanoTime();
                long applied = b.metrics().eventsApplied();
                for (int i = 0; i < warmup; i++) {
                    fill(e, 0x800000 + i % 100_000, 1);
                    a.connectionCreated(e);
                    if ((i & 1023) == 0) {
                        awaitSendRoom(a);
                    }
                }
                for (int i = 0; i < Math.min(warmup, 100_000); i++) {
                    fill(e, 0x800000 + i, 1);
                    a.connectionExpired(e);
                }
                a.flush();
                waitApplied(b, applied + warmup + Math.min(warmup, 100_000), Duration.ofSeconds(120));
                b.metrics().lag().reset();
                System.out.printf(Locale.ROOT, "warm-up: %,d events in %.2f s (not measured)%n", warmup, (System.nanoTime() - w0) / 1e9);
            }

            // 1. throughput
            long appliedBefore = b.metrics().eventsApplied();
            int distinct = Math.max(stateEntries, 1);
            long cpu0 = processCpuNanos();
            long t0 = System.nanoTime();
            for (int i = 0; i < events; i++) {
                fill(e, i % distinct, i < distinct ? 1 : 4);
                a.connectionCreated(e);
                if ((i & 1023) == 0) {
                    awaitSendRoom(a);
                }
            }
            a.flush();
            waitApplied(b, appliedBefore + events, Duration.ofSeconds(120));
            double secs = (System.nanoTime() - t0) / 1e9;
            double cpuSecs = (processCpuNanos() - cpu0) / 1e9;
            System.out.printf(Locale.ROOT, "throughput: %,d events replicated A->B in %.2f s = %,.0f events/s (%,d batches, %.0f bytes/batch)%n",
                    events, secs, events / secs, a.metrics().batchesSent(), (double) a.metrics().bytesSent() / a.metrics().batchesSent());
            // CPU per event: less sensitive than the wall-clock rate to other load on a shared machine
            System.out.printf(Locale.ROOT, "throughput: process CPU %.2f s = %.2f us/event (A and B together)%n", cpuSecs, cpuSecs * 1e6 / events);
            if (a.metrics().eventsDropped() > 0) {
                System.out.printf("throughput: %,d events dropped by a full send queue%n", a.metrics().eventsDropped());
            }

            // 2. lag at a fixed rate
            b.metrics().lag().reset();
            long applied0 = b.metrics().eventsApplied();
            long total = (long) rate * seconds;
            long start = System.nanoTime();
            long i = 0;
            while (i < total) {
                // publish whatever is due, then sleep ~0.2 ms: no spinning, which would starve the
                // JGroups threads on a 2-core machine. Events are stamped when published.
                long due = Math.min(total, (System.nanoTime() - start) * rate / 1_000_000_000L);
                for (; i < due; i++) {
                    fill(e, (int) (i % distinct), 1);
                    a.connectionChanged(e);
                }
                LockSupport.parkNanos(200_000);
            }
            a.flush();
            waitApplied(b, applied0 + total, Duration.ofSeconds(60));
            System.out.printf(Locale.ROOT, "lag at %,d events/s for %d s: p50 %.2f ms, p99 %.2f ms, p99.9 %.2f ms, max %.2f ms (%,d samples)%n",
                    rate, seconds, b.metrics().lag().percentileMicros(0.5) / 1000.0, b.metrics().lag().percentileMicros(0.99) / 1000.0,
                    b.metrics().lag().percentileMicros(0.999) / 1000.0, b.metrics().lag().percentileMicros(1.0) / 1000.0,
                    b.metrics().lag().count());
            System.out.printf(Locale.ROOT, "lag in the last %d ms (SyncMetrics.recentLag*): p99 %.2f ms, max %.2f ms (%,d samples)%n",
                    SyncMetrics.recentLagWindow().toMillis(), b.metrics().recentLagP99Micros() / 1000.0,
                    b.metrics().recentLagMaxMicros() / 1000.0, b.metrics().recentLagCount());

            // 3. state transfer of the table A holds
            System.out.printf("state transfer: A holds %,d connections%n", a.store().size());
            long s0 = System.nanoTime();
            long scpu0 = processCpuNanos();
            try (ConnectionReplicator c = member(cluster, udp, port, key)) {
                await(c);
                double ready = (System.nanoTime() - s0) / 1e6;
                System.out.printf(Locale.ROOT, "state transfer: joiner ready with %,d connections %.0f ms after start (stream itself: %d ms)%n",
                        c.store().size(), ready, c.metrics().lastStateTransferMillis());
                System.out.printf(Locale.ROOT, "state transfer: process CPU %.2f s (provider and joiner together)%n",
                        (processCpuNanos() - scpu0) / 1e9);
            }

            // 4. memory per replica entry
            System.out.printf(Locale.ROOT, "memory: A's store %,d bytes for %,d connections = %.1f bytes/connection (max %,d entries)%n",
                    a.store().bytesAllocated(), a.store().size(), (double) a.store().bytesAllocated() / a.store().size(),
                    a.store().maxEntries());
        }
        ReplicaStore full = new ReplicaStore(1_000_000);
        ConnectionEntry e = new ConnectionEntry();
        for (int i = 0; i < 1_000_000; i++) {
            fill(e, i, 1);
            full.upsert(e);
        }
        System.out.printf(Locale.ROOT, "memory: a store sized for and filled with 1,000,000 IPv4 connections: %.1f bytes/connection%n",
                full.bytesAllocated() / 1e6);
        Files.deleteIfExists(key);
        System.exit(0);
    }

    static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    static void fill(ConnectionEntry e, int i, int state) {
        e.ipv4(6, 0xcb007100 + (i >>> 16), i & 0xffff, 0xc000020a, 80, 0x0a00000b, 80).state(state, 0x83, 0, 900);
    }

    static ConnectionReplicator member(String cluster, boolean udp, int port, Path key) throws Exception {
        SyncConfig.Builder b = SyncConfig.builder(cluster, 1).keyFile(key).joinTimeout(Duration.ofMillis(500));
        if (udp) {
            b.multicast(InetAddress.getLoopbackAddress(), InetAddress.getByName("239.192.81.99"), port);
        } else {
            b.sharedLoopback();
        }
        return ConnectionReplicator.start(b.build());
    }

    static void await(ConnectionReplicator r) {
        try {
            r.ready().get(60, java.util.concurrent.TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("member not ready", e);
        }
    }

    /**
     * Publishing never blocks: a full send queue drops batches. A benchmark that publishes as fast as
     * it can must therefore pace itself on the backlog (a data plane is paced by its packets).
     */
    static void awaitSendRoom(ConnectionReplicator r) {
        if (r.sendBacklog() > r.sendQueueCapacity() / 2) {
            while (r.sendBacklog() > r.sendQueueCapacity() / 4) {
                LockSupport.parkNanos(100_000);
            }
        }
    }

    static void waitMembers(ConnectionReplicator r, int n) throws InterruptedException {
        for (int i = 0; i < 600 && r.members().size() < n; i++) {
            Thread.sleep(50);
        }
    }

    static void waitApplied(ConnectionReplicator r, long n, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (r.metrics().eventsApplied() < n) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("only " + r.metrics().eventsApplied() + " of " + n + " applied: " + r.metrics());
            }
            Thread.sleep(1);
        }
    }
}
