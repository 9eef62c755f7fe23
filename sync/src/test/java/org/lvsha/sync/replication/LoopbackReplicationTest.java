package org.lvsha.sync.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lvsha.sync.store.ConnectionEntry;

/** Members in one JVM over JGroups SHARED_LOOPBACK: replication, state transfer, key and sync-id separation. */
class LoopbackReplicationTest {
    @TempDir
    Path dir;
    final List<ConnectionReplicator> started = new ArrayList<>();
    final String cluster = "lb" + Integer.toHexString(ThreadLocalRandom.current().nextInt());

    @AfterEach
    void closeAll() {
        started.forEach(ConnectionReplicator::close);
    }

    Path key(String name, String secret) throws Exception {
        Path p = dir.resolve(name);
        Files.writeString(p, secret + "\n");
        return p;
    }

    ConnectionReplicator member(int syncId, Path keyFile) throws Exception {
        ConnectionReplicator r = ConnectionReplicator.start(SyncConfig.builder(cluster, syncId).sharedLoopback()
                .keyFile(keyFile).joinTimeout(Duration.ofMillis(500)).build());
        started.add(r);
        return r;
    }

    /** The state of {@code e}'s connection in {@code r}'s replica, or -1 when absent. */
    static int stateIn(ConnectionReplicator r, ConnectionEntry e) {
        return r.store().find(e) ? e.state : -1;
    }

    static ConnectionEntry conn(int i) {
        return new ConnectionEntry().ipv4(6, 0xc6336400 + (i >>> 16), i & 0xffff, 0xc000020a, 80, 0x0a00000b, 80)
                .state(1, 0x83, 0, 900);
    }

    @Test
    void eventsFlowBothWaysAndAJoinerGetsTheWholeTableBeforeItIsReady() throws Exception {
        Path k = key("k", "correct horse battery staple");
        ConnectionReplicator a = member(1, k);
        assertThat(a.awaitReady(Duration.ofSeconds(20))).isTrue();
        ConnectionReplicator b = member(1, k);
        assertThat(b.awaitReady(Duration.ofSeconds(20))).isTrue();

        for (int i = 0; i < 20_000; i++) {
            a.connectionCreated(conn(i));
        }
        for (int i = 20_000; i < 25_000; i++) {
            b.connectionCreated(conn(i));
        }
        a.connectionExpired(conn(7));
        b.connectionChanged(conn(20_001).state(4, 0x183, 0, 120));
        // The sizes reach 24,999 when the last create is applied; b's change of 20,001 may come in the next batch,
        // and b records a batch's lag after applying it. So the await covers every figure checked below.
        await().atMost(Duration.ofSeconds(20)).until(() -> a.store().size() == 24_999 && b.store().size() == 24_999
                && stateIn(a, conn(20_001)) == 4 && b.metrics().lag().count() >= 20_001);
        ConnectionEntry q = conn(20_001);
        assertThat(a.store().find(q)).isTrue();
        assertThat(q.state).isEqualTo(4);
        assertThat(a.store().find(conn(7))).isFalse();
        assertThat(b.metrics().lag().count()).isGreaterThanOrEqualTo(20_001);

        ConnectionReplicator c = member(1, k);
        assertThat(c.awaitReady(Duration.ofSeconds(20))).isTrue();
        assertThat(c.store().size()).as("table present when ready").isEqualTo(24_999);
        assertThat(c.metrics().stateEntriesReceived()).isEqualTo(24_999);
    }

    @Test
    void aMemberWithAnotherKeyIsRefusedIsNeverReadyAloneAndNeitherReadsNorInjects() throws Exception {
        ConnectionReplicator a = member(1, key("good", "the right shared secret"));
        assertThat(a.awaitReady(Duration.ofSeconds(20))).as("first node up, alone, right key: ready").isTrue();
        for (int i = 0; i < 1000; i++) {
            a.connectionCreated(conn(i));
        }
        ConnectionReplicator intruder = member(1, key("bad", "a different shared secret"));
        assertThat(intruder.awaitReady(Duration.ofSeconds(30))).as("the readiness gate refuses a lone wrong-key node").isFalse();
        assertThat(intruder.isReady()).isFalse();
        assertThat(intruder.refusedByCluster()).isTrue();
        assertThatThrownBy(() -> intruder.ready().join()).hasCauseInstanceOf(SyncKeyRefusedException.class)
                .hasMessageContaining("refused by the cluster").hasMessageContaining("another key");
        for (int i = 5000; i < 5100; i++) {
            intruder.connectionCreated(conn(i));
        }
        a.flush();
        intruder.flush();
        await().atMost(Duration.ofSeconds(10)).until(() -> a.metrics().rejected(SyncRejection.WRONG_KEY) > 0);
        assertThat(intruder.members()).hasSizeLessThanOrEqualTo(1);
        assertThat(a.members()).hasSize(1);
        assertThat(a.isReady()).isTrue();
        assertThat(a.refusedByCluster()).as("the cluster's own member is not the refused one").isFalse();
        assertThat(intruder.store().size()).isEqualTo(100);
        assertThat(a.store().size()).isEqualTo(1000);
        assertThat(a.store().find(conn(5000))).isFalse();
    }

    @Test
    void theKeyFingerprintTagInAMembersNameIsParsedOnlyWhenWellFormed() {
        assertThat(ConnectionReplicator.keyTag("host-1234~1a2b3c4d")).isEqualTo("1a2b3c4d");
        assertThat(ConnectionReplicator.keyTag("host-1234")).isNull();
        assertThat(ConnectionReplicator.keyTag("host~x")).isNull();
        assertThat(ConnectionReplicator.keyTag(null)).isNull();
        SharedKey k = SharedKey.fromSecret("0123456789abcdef-test-key".getBytes());
        assertThat(ConnectionReplicator.keyTag(ConnectionReplicator.logicalName(k))).isEqualTo(k.fingerprint());
    }

    @Test
    void aPeerThatStopsTakingMessagesNeverBlocksPublishFlushOrClose() throws Exception {
        Path k = key("k", "correct horse battery staple");
        ConnectionReplicator a = member(1, k);
        assertThat(a.awaitReady(Duration.ofSeconds(20))).isTrue();
        ConnectionReplicator b = member(1, k);
        assertThat(b.awaitReady(Duration.ofSeconds(20))).isTrue();
        await().atMost(Duration.ofSeconds(10)).until(() -> a.members().size() == 2);
        // b's delivery thread hangs in its listener: b stops returning flow-control credits, so a's
        // channel.send blocks (as with a hung or cut-off peer until the view changes)
        java.util.concurrent.CountDownLatch hung = new java.util.concurrent.CountDownLatch(1);
        b.onRemoteEvents((kind, e) -> {
            try {
                hung.await();
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
            }
        });
        try {
            long slowest = 0;
            long t0 = System.nanoTime();
            int events = 600_000; // ~26 MB: more than the credits (4 MB) and the send queue (16 MB) hold
            for (int i = 0; i < events; i++) {
                long s = System.nanoTime();
                a.connectionCreated(conn(i));
                if ((i & 1023) == 0) {
                    a.flush();
                }
                slowest = Math.max(slowest, System.nanoTime() - s);
            }
            long took = (System.nanoTime() - t0) / 1_000_000;
            a.flush(); // the own replica takes events batch by batch: the last, partial one now
            assertThat(a.metrics().eventsDropped()).as("the overflow is dropped and counted").isPositive();
            assertThat(a.store().size()).as("the own replica misses nothing").isEqualTo(events);
            // A publish that waited for the hung peer would wait until close (the test would hang), one that waited on
            // a bounded offer would take its bound (MERGE_QUEUE_WAIT, 5 s); 2.5 s leaves room for what a loaded
            // 2-core machine adds to any single call (a GC of this ~60 MB heap, the thread descheduled), not for those.
            assertThat(slowest / 1_000_000).as("slowest publish/flush, ms (total %d ms)", took).isLessThan(2500);

            long f0 = System.nanoTime();
            assertThat(a.flush(Duration.ofMillis(300))).as("bounded flush: not delivered").isFalse();
            assertThat((System.nanoTime() - f0) / 1_000_000).isBetween(250L, 2000L);

            long c0 = System.nanoTime();
            a.close();
            long closeMillis = (System.nanoTime() - c0) / 1_000_000;
            assertThat(closeMillis).as("close with a hung peer, ms").isLessThan(6000);
        } finally {
            hung.countDown();
        }
    }

    @Test
    void theTcpStackReplicatesBetweenConfiguredPeersOverLoopback() throws Exception {
        Path k = key("k", "correct horse battery staple");
        int base = 47000 + ThreadLocalRandom.current().nextInt(2000);
        java.net.InetAddress lo = java.net.InetAddress.getByName("127.0.0.1");
        List<java.net.InetSocketAddress> peers = List.of(new java.net.InetSocketAddress(lo, base), new java.net.InetSocketAddress(lo, base + 1));
        ConnectionReplicator a = ConnectionReplicator.start(SyncConfig.builder(cluster + "tcp", 1).tcp(lo, base, peers)
                .keyFile(k).joinTimeout(Duration.ofMillis(500)).build());
        started.add(a);
        assertThat(a.awaitReady(Duration.ofSeconds(20))).isTrue();
        for (int i = 0; i < 3000; i++) {
            a.connectionCreated(conn(i));
        }
        a.flush();
        ConnectionReplicator b = ConnectionReplicator.start(SyncConfig.builder(cluster + "tcp", 1).tcp(lo, base + 1, peers)
                .keyFile(k).joinTimeout(Duration.ofMillis(500)).build());
        started.add(b);
        assertThat(b.awaitReady(Duration.ofSeconds(20))).isTrue();
        assertThat(b.store().size()).as("state before ready").isEqualTo(3000);
        b.connectionCreated(conn(9999));
        b.flush();
        await().atMost(Duration.ofSeconds(10)).until(() -> a.store().size() == 3001);
    }

    @Test
    void twoSyncIdsWithTheSameClusterNameUseSeparateChannels() throws Exception {
        Path k = key("k", "correct horse battery staple");
        ConnectionReplicator one = member(1, k);
        ConnectionReplicator two = member(2, k);
        ConnectionReplicator oneB = member(1, k);
        for (ConnectionReplicator r : List.of(one, two, oneB)) {
            assertThat(r.awaitReady(Duration.ofSeconds(20))).isTrue();
        }
        for (int i = 0; i < 500; i++) {
            one.connectionCreated(conn(i));
        }
        one.flush();
        await().atMost(Duration.ofSeconds(10)).until(() -> oneB.store().size() == 500);
        assertThat(two.store().size()).isZero();
        assertThat(two.members()).hasSize(1);
    }
}
