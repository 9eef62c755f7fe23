package org.lvsha.sync.replication;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.lvsha.core.metrics.LatencyHistogram;
import org.lvsha.sync.store.ConnectionEntry;
import org.lvsha.sync.store.ReplicaStore;

/** Batching, the batch format and its verification, without a channel (a list is the sink). */
class BatchingTest {
    final AtomicLong nanos = new AtomicLong();
    final AtomicLong micros = new AtomicLong(1_700_000_000_000_000L);
    final List<byte[]> sent = new ArrayList<>();
    final SyncMetrics metrics = new SyncMetrics();
    final SharedKey key = SharedKey.fromSecret("0123456789abcdef-test-key".getBytes());

    EventBatcher batcher(int syncId, SharedKey k) {
        return new EventBatcher(syncId, 8192, 2_000_000, k == null ? null : k.newMac(), nanos::get, micros::get, sent::add);
    }

    static ConnectionEntry conn(int i) {
        return new ConnectionEntry().ipv4(6, 0xc6336400 + (i >>> 16), i & 0xffff, 0xc000020a, 80, 0x0a00000b, 80)
                .state(1, 0x83, 0, 900);
    }

    @Test
    void aBatchIsSentWhenItReachesTheConfiguredSize() {
        EventBatcher b = batcher(1, key);
        for (int i = 0; i < 1000; i++) {
            b.append(ConnectionEventKind.CREATED, conn(i));
        }
        // a batch closes once another IPv6-sized record might not fit: 185 IPv4 events of 44 bytes
        assertThat(sent).hasSize(5);
        for (byte[] m : sent) {
            assertThat(m.length).isBetween(1024, 8192 + 16);
        }
        assertThat(b.pendingEvents()).isEqualTo(1000 - 5 * 185);
    }

    @Test
    void aPartialBatchIsSentOnlyOnceItsFirstEventHasWaitedTheInterval() {
        EventBatcher b = batcher(1, key);
        b.append(ConnectionEventKind.CREATED, conn(1));
        nanos.addAndGet(1_999_999);
        b.flushIfDue();
        assertThat(sent).isEmpty();
        nanos.addAndGet(1);
        b.flushIfDue();
        assertThat(sent).hasSize(1);
        assertThat(ConnectionEventCodec.batchCount(sent.get(0))).isEqualTo(1);
    }

    @Test
    void appliedBatchReproducesCreatesChangesAndExpiriesAndMeasuresLag() {
        EventBatcher b = batcher(3, key);
        b.append(ConnectionEventKind.CREATED, conn(1));
        b.append(ConnectionEventKind.CREATED, conn(2));
        micros.addAndGet(500);
        b.append(ConnectionEventKind.CHANGED, conn(1).state(4, 0x183, 0, 120));
        b.append(ConnectionEventKind.EXPIRED, conn(2));
        b.flush();
        ReplicaStore store = new ReplicaStore(100);
        SyncMetrics rx = new SyncMetrics();
        BatchApplier applier = new BatchApplier(3, store, rx, key);
        byte[] m = sent.get(0);
        assertThat(applier.apply(m, 0, m.length, micros.get() + 1000)).isNull();
        assertThat(store.size()).isEqualTo(1);
        ConnectionEntry q = conn(1);
        assertThat(store.find(q)).isTrue();
        assertThat(q.state).isEqualTo(4);
        assertThat(q.timeoutSeconds).isEqualTo(120);
        assertThat(rx.eventsApplied()).isEqualTo(4);
        // a percentile is its bucket's upper bound (at most 3 % above), never above the largest lag
        assertThat(rx.lag().percentileMicros(0.0)).isBetween(1000L, 1030L);
        assertThat(rx.lag().percentileMicros(1.0)).isBetween(1450L, 1500L);
    }

    @Test
    void aBatchOfAnotherSyncIdIsRejectedWhole() {
        EventBatcher b = batcher(2, key);
        b.append(ConnectionEventKind.CREATED, conn(1));
        b.flush();
        ReplicaStore store = new ReplicaStore(100);
        SyncMetrics rx = new SyncMetrics();
        byte[] m = sent.get(0);
        assertThat(new BatchApplier(1, store, rx, key).apply(m, 0, m.length, 0)).isEqualTo(SyncRejection.SYNC_ID_MISMATCH);
        assertThat(store.size()).isZero();
        assertThat(rx.rejected(SyncRejection.SYNC_ID_MISMATCH)).isEqualTo(1);
    }

    @Test
    void aBatchAuthenticatedWithAnotherKeyOrTamperedWithIsRejected() {
        EventBatcher b = batcher(1, SharedKey.fromSecret("another-key-of-16-bytes".getBytes()));
        b.append(ConnectionEventKind.CREATED, conn(1));
        b.flush();
        ReplicaStore store = new ReplicaStore(100);
        SyncMetrics rx = new SyncMetrics();
        BatchApplier applier = new BatchApplier(1, store, rx, key);
        byte[] m = sent.get(0);
        assertThat(applier.apply(m, 0, m.length, 0)).isEqualTo(SyncRejection.BAD_MAC);
        sent.clear();
        EventBatcher good = batcher(1, key);
        good.append(ConnectionEventKind.CREATED, conn(1));
        good.flush();
        byte[] t = sent.get(0);
        t[20] ^= 1;
        assertThat(applier.apply(t, 0, t.length, 0)).isEqualTo(SyncRejection.BAD_MAC);
        assertThat(store.size()).isZero();
    }

    @Test
    void truncatedForeignAndMiscountedBatchesAreRejectedByReason() {
        ReplicaStore store = new ReplicaStore(100);
        SyncMetrics rx = new SyncMetrics();
        BatchApplier applier = new BatchApplier(1, store, rx, null);
        assertThat(applier.apply(new byte[5], 0, 5, 0)).isEqualTo(SyncRejection.TRUNCATED);
        assertThat(applier.apply(new byte[40], 0, 40, 0)).isEqualTo(SyncRejection.BAD_MAGIC);
        EventBatcher b = batcher(1, null);
        b.append(ConnectionEventKind.CREATED, conn(1));
        b.append(ConnectionEventKind.CREATED, conn(2));
        b.flush();
        byte[] m = sent.get(0);
        byte[] cut = java.util.Arrays.copyOf(m, m.length - 10);
        assertThat(applier.apply(cut, 0, cut.length, 0)).isEqualTo(SyncRejection.BAD_RECORD);
        m[7] = 3;
        assertThat(applier.apply(m, 0, m.length, 0)).isEqualTo(SyncRejection.COUNT_MISMATCH);
        assertThat(store.size()).isZero();
    }

    @Test
    void mutatedBatchesNeverThrowAndNeverHalfApply() {
        EventBatcher b = batcher(1, null);
        for (int i = 0; i < 20; i++) {
            b.append(ConnectionEventKind.CREATED, conn(i));
        }
        b.flush();
        byte[] seed = sent.get(0);
        Random rnd = new Random(7);
        for (int i = 0; i < 50_000; i++) {
            byte[] d = java.util.Arrays.copyOf(seed, Math.max(0, seed.length + rnd.nextInt(90) - 45));
            for (int f = 0; f < 1 + rnd.nextInt(3) && d.length > 0; f++) {
                d[rnd.nextInt(Math.min(d.length, 40))] ^= (byte) (1 << rnd.nextInt(8));
            }
            ReplicaStore store = new ReplicaStore(100);
            SyncRejection r = new BatchApplier(1, store, new SyncMetrics(), null).apply(d, 0, d.length, 0);
            if (r != null) {
                assertThat(store.size()).isZero();
            }
        }
    }

    @Test
    void stateStreamRoundTripsAndATamperedStreamLeavesTheStoreEmpty() throws Exception {
        ReplicaStore source = new ReplicaStore(100_000);
        for (int i = 0; i < 50_000; i++) {
            source.upsert(conn(i));
        }
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        StateStream.write(source.snapshot(), 1, key, out);
        byte[] stream = out.toByteArray();
        ReplicaStore target = new ReplicaStore(100_000);
        assertThat(StateStream.read(new java.io.ByteArrayInputStream(stream), 1, key, target)).isEqualTo(50_000);
        assertThat(target.size()).isEqualTo(50_000);
        ConnectionEntry q = conn(4242);
        assertThat(target.find(q)).isTrue();

        stream[100_000] ^= 1;
        ReplicaStore tampered = new ReplicaStore(100_000);
        org.assertj.core.api.Assertions.assertThatThrownBy(
                () -> StateStream.read(new java.io.ByteArrayInputStream(stream), 1, key, tampered))
                .isInstanceOf(java.io.IOException.class);
        assertThat(tampered.size()).isZero();
    }

    @Test
    void eachStateChunkIsOneWriteThatFitsInOneFragmentAndAnotherKeyIsRefused() throws Exception {
        ReplicaStore source = new ReplicaStore(100_000);
        for (int i = 0; i < 20_000; i++) {
            source.upsert(conn(i));
        }
        byte[] v6 = new byte[16];
        v6[0] = 0x20;
        v6[1] = 0x01;
        for (int i = 0; i < 3_000; i++) {
            byte[] client = v6.clone();
            client[14] = (byte) (i >>> 8);
            client[15] = (byte) i;
            source.upsert(new ConnectionEntry().addresses(client, v6, v6).state(1, 0x83, 0, 900));
        }
        // JGroups STATE sends every write as one message: a chunk must be one write, small enough for one fragment
        java.util.List<Integer> writes = new java.util.ArrayList<>();
        java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
        java.io.OutputStream recording = new java.io.OutputStream() {
            @Override
            public void write(int b) {
                writes.add(1);
                all.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                writes.add(len);
                all.write(b, off, len);
            }
        };
        StateStream.write(source.snapshot(), 1, key, recording);
        assertThat(writes.size()).as("header, chunks, tail").isGreaterThan(10);
        assertThat(writes).allSatisfy(len -> assertThat(len).isLessThanOrEqualTo(StateStream.SEND_CHUNK + 4));
        assertThat(StateStream.SEND_CHUNK + 4 + 512).isLessThan(SyncStackFactory.FRAG_SIZE);
        byte[] stream = all.toByteArray();
        ReplicaStore copy = new ReplicaStore(100_000);
        assertThat(StateStream.read(new java.io.ByteArrayInputStream(stream), 1, key, copy)).isEqualTo(23_000);
        byte[] client = v6.clone();
        client[14] = 11;
        client[15] = 7;
        assertThat(copy.find(new ConnectionEntry().addresses(client, v6, v6))).isTrue();
        assertThat(copy.find(conn(19_999))).isTrue();

        ReplicaStore other = new ReplicaStore(100_000);
        SharedKey another = SharedKey.fromSecret("another-key-of-16-bytes".getBytes());
        org.assertj.core.api.Assertions.assertThatThrownBy(
                () -> StateStream.read(new java.io.ByteArrayInputStream(stream), 1, another, other))
                .isInstanceOf(java.io.IOException.class).hasMessageContaining("authentication");
        assertThat(other.size()).isZero();
    }

    @Test
    void ownEventsReachTheOwnStoreWhenTheirBatchIsFinished() {
        ReplicaStore own = new ReplicaStore(100);
        BatchApplier applier = new BatchApplier(1, own, metrics, key);
        EventBatcher b = batcher(1, key).applyingLocally(applier::applyOwn);
        b.append(ConnectionEventKind.CREATED, conn(1));
        b.append(ConnectionEventKind.CREATED, conn(2));
        b.append(ConnectionEventKind.EXPIRED, conn(1));
        assertThat(own.size()).as("not before the batch is finished").isZero();
        b.flush();
        assertThat(own.size()).isEqualTo(1);
        assertThat(own.find(conn(2))).isTrue();
        assertThat(own.find(conn(1))).isFalse();
    }

    @Test
    void aBatchSealedOnTheSenderThreadVerifiesLikeOneSealedByTheBatcher() {
        EventBatcher unsealed = EventBatcher.sealedBySink(1, 8192, 2_000_000, nanos::get, micros::get, sent::add);
        unsealed.append(ConnectionEventKind.CREATED, conn(1));
        unsealed.flush();
        EventBatcher sealedHere = batcher(1, key);
        sealedHere.append(ConnectionEventKind.CREATED, conn(1));
        sealedHere.flush();
        byte[] late = sent.get(0);
        ConnectionEventCodec.seal(key.newMac(), late);
        assertThat(late).isEqualTo(sent.get(1));
        ReplicaStore store = new ReplicaStore(100);
        assertThat(new BatchApplier(1, store, new SyncMetrics(), key).apply(late, 0, late.length, micros.get())).isNull();
        assertThat(store.size()).isEqualTo(1);
    }
}
