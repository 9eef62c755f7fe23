package org.lvsha.sync.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ReplicaStoreTest {
    final AtomicLong clock = new AtomicLong(1_000_000);

    static ConnectionEntry tcp(int client, int cport) {
        return new ConnectionEntry().ipv4(6, client, cport, 0xc000020a, 80, 0x0a00000b, 80).state(1, 0x83, 0, 900);
    }

    @Test
    void upsertThenFindReturnsEveryField() {
        ReplicaStore store = new ReplicaStore(100, clock::get);
        ConnectionEntry e = tcp(0xc6336407, 40000);
        e.fwmark = 7;
        assertThat(store.upsert(e)).isEqualTo(ReplicaStore.Upsert.INSERTED);
        ConnectionEntry q = new ConnectionEntry().ipv4(6, 0xc6336407, 40000, 0xc000020a, 80, 0, 0);
        assertThat(store.find(q)).isTrue();
        assertThat(q.daddrLo).isEqualTo(0x0a00000bL);
        assertThat(q.dport).isEqualTo(80);
        assertThat(q.state).isEqualTo(1);
        assertThat(q.flags).isEqualTo(0x83);
        assertThat(q.fwmark).isEqualTo(7);
        assertThat(q.timeoutSeconds).isEqualTo(900);
        assertThat(q.remainingSeconds).isEqualTo(900);
    }

    @Test
    void stateChangeUpdatesInPlace() {
        ReplicaStore store = new ReplicaStore(100, clock::get);
        store.upsert(tcp(1, 1));
        ConnectionEntry fin = tcp(1, 1).state(4, 0x183, 0, 120);
        assertThat(store.upsert(fin)).isEqualTo(ReplicaStore.Upsert.UPDATED);
        ConnectionEntry q = tcp(1, 1);
        store.find(q);
        assertThat(q.state).isEqualTo(4);
        assertThat(q.flags).isEqualTo(0x183);
        assertThat(store.size()).isEqualTo(1);
    }

    @Test
    void ipv6EntriesAreKeyedByFullAddresses() {
        ReplicaStore store = new ReplicaStore(100, clock::get);
        byte[] c1 = new byte[16];
        c1[0] = 0x20; c1[1] = 0x01; c1[2] = 0x0d; c1[3] = (byte) 0xb8; c1[15] = 1;
        byte[] c2 = c1.clone();
        c2[7] = 1;
        byte[] v = c1.clone();
        v[15] = 0x10;
        ConnectionEntry a = new ConnectionEntry().addresses(c1, v, v);
        a.protocol = 17; a.cport = 5353; a.vport = 53; a.dport = 53;
        a.state(0, 0x83, 0, 300);
        ConnectionEntry b = new ConnectionEntry().copyFrom(a).addresses(c2, v, v);
        store.upsert(a);
        store.upsert(b);
        assertThat(store.size()).isEqualTo(2);
        ConnectionEntry q = new ConnectionEntry().copyFrom(b);
        assertThat(store.find(q)).isTrue();
        assertThat(q.clientAddress()).isEqualTo(c2);
        assertThat(store.remove(a)).isTrue();
        assertThat(store.find(new ConnectionEntry().copyFrom(a))).isFalse();
        assertThat(store.find(new ConnectionEntry().copyFrom(b))).isTrue();
    }

    @Test
    void entriesExpireByTheirTimeout() {
        ReplicaStore store = new ReplicaStore(100, clock::get);
        store.upsert(tcp(1, 1).state(1, 0x83, 0, 10));
        store.upsert(tcp(2, 2).state(1, 0x83, 0, 100));
        clock.addAndGet(10_000);
        assertThat(store.find(tcp(1, 1))).isFalse();
        assertThat(store.expireDue(100)).isEqualTo(1);
        assertThat(store.size()).isEqualTo(1);
        ConnectionEntry q = tcp(2, 2);
        assertThat(store.find(q)).isTrue();
        assertThat(q.remainingSeconds).isEqualTo(90);
    }

    @Test
    void fullStoreExpiresDueEntriesThenRefusesAndCounts() {
        ReplicaStore store = new ReplicaStore(3, clock::get);
        store.upsert(tcp(1, 1).state(1, 0x83, 0, 5));
        store.upsert(tcp(2, 2));
        store.upsert(tcp(3, 3));
        assertThat(store.upsert(tcp(4, 4))).isEqualTo(ReplicaStore.Upsert.REFUSED_FULL);
        assertThat(store.refusedFull()).isEqualTo(1);
        clock.addAndGet(5_000);
        assertThat(store.upsert(tcp(4, 4))).isEqualTo(ReplicaStore.Upsert.INSERTED);
        assertThat(store.size()).isEqualTo(3);
        assertThat(store.expired()).isEqualTo(1);
    }

    @Test
    void behavesLikeAMapUnderRandomInsertsAndRemovals() {
        ReplicaStore store = new ReplicaStore(50_000, clock::get);
        Map<Long, Integer> model = new HashMap<>();
        Random rnd = new Random(42);
        for (int i = 0; i < 120_000; i++) {
            int client = rnd.nextInt(20_000);
            int port = 1024 + rnd.nextInt(4);
            long key = ((long) client << 16) | port;
            if (rnd.nextInt(3) == 0) {
                if (store.remove(tcp(client, port)) != (model.remove(key) != null)) {
                    throw new AssertionError("remove disagrees with the model at step " + i);
                }
            } else {
                int state = rnd.nextInt(11);
                ReplicaStore.Upsert r = store.upsert(tcp(client, port).state(state, 0x83, 0, 900));
                if (r != ReplicaStore.Upsert.REFUSED_FULL) {
                    model.put(key, state);
                }
            }
        }
        assertThat(store.size()).isEqualTo(model.size());
        for (Map.Entry<Long, Integer> m : model.entrySet()) {
            ConnectionEntry q = tcp((int) (m.getKey() >>> 16), (int) (m.getKey() & 0xffff));
            if (!store.find(q) || q.state != m.getValue()) {
                throw new AssertionError("entry " + m + " missing or wrong: " + q);
            }
        }
        int[] seen = {0};
        store.snapshot().forEach(new ConnectionEntry(), e -> seen[0]++);
        assertThat(seen[0]).isEqualTo(model.size());
    }

    @Test
    void aMillionIpv4ConnectionsTakeAtMost64BytesEachAtEveryStepOfGrowth() {
        ReplicaStore store = new ReplicaStore(1_000_000, clock::get);
        ConnectionEntry e = new ConnectionEntry();
        for (int i = 0; i < 1_000_000; i++) {
            e.ipv4(6, 0xc6336400 + (i >>> 16), i & 0xffff, 0xc000020a, 80, 0x0a00000b, 80).state(1, 0x83, 0, 900);
            if (store.upsert(e) != ReplicaStore.Upsert.INSERTED) {
                throw new AssertionError("not inserted: " + e);
            }
            if (i > 10_000 && i % 50_000 == 0) {
                assertThat((double) store.bytesAllocated() / store.size()).as("at %d entries", i).isLessThanOrEqualTo(64.0);
            }
        }
        assertThat(store.size()).isEqualTo(1_000_000);
        assertThat(store.bytesAllocated() / 1_000_000.0).isLessThanOrEqualTo(64.0);
    }

    @Test
    void aTableFilledInAnotherTablesSlotOrderStaysFast() {
        // a state transfer streams the provider's table in slot order; with a shared hash seed this was quadratic
        ReplicaStore provider = new ReplicaStore(300_000, clock::get);
        ConnectionEntry e = new ConnectionEntry();
        for (int i = 0; i < 300_000; i++) {
            provider.upsert(e.ipv4(6, 0xcb007100 + (i >>> 16), i & 0xffff, 0xc000020a, 80, 0x0a00000b, 80).state(1, 0x83, 0, 900));
        }
        ReplicaStore joiner = new ReplicaStore(300_000, clock::get);
        long t0 = System.nanoTime();
        provider.snapshot().forEach(new ConnectionEntry(), joiner::upsert);
        assertThat(joiner.size()).isEqualTo(300_000);
        assertThat((System.nanoTime() - t0) / 1_000_000).as("ms to refill").isLessThan(5_000);
    }
}
