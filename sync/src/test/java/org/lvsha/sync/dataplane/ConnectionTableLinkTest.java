package org.lvsha.sync.dataplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.Inet4Address;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.lvsha.core.dataplane.ConnectionStates;
import org.lvsha.core.dataplane.ConnectionTable;
import org.lvsha.core.dataplane.SyncedConnection;
import org.lvsha.sync.replication.ConnectionReplicator;
import org.lvsha.sync.replication.SyncConfig;

/**
 * Two (then three) directors in one JVM, each a userspace connection table linked to a replicator over JGroups
 * SHARED_LOOPBACK: a connection scheduled on one exists on the others with the same real server.
 */
class ConnectionTableLinkTest {
    static final int VIP = 0xc000020a; // 192.0.2.10
    static final int[] REAL_SERVERS = {0xc633640b, 0xc633640c, 0xc633640d}; // 198.51.100.11-13
    final List<ConnectionReplicator> started = new ArrayList<>();
    final String cluster = "link" + Integer.toHexString(ThreadLocalRandom.current().nextInt());

    @AfterEach
    void closeAll() {
        started.forEach(ConnectionReplicator::close);
    }

    /** A director: its table, its link, its replicator. The table is guarded by itself (workers and sync share it here). */
    final class Director {
        final ConnectionTable table;
        final ConnectionTableLink link;
        final ConnectionReplicator replicator;

        Director() throws Exception {
            replicator = ConnectionReplicator.start(SyncConfig.builder(cluster, 3).sharedLoopback()
                    .joinTimeout(Duration.ofMillis(500)).build());
            started.add(replicator);
            link = new ConnectionTableLink(replicator::publish, (c, done) -> done.accept(insert(c)));
            table = new ConnectionTable(4096, 10, link);
            replicator.onRemoteEvents(link);
            assertThat(replicator.awaitReady(Duration.ofSeconds(20))).isTrue();
        }

        /** The data plane's insert rules (DataPlane.insertOnWorker): same real server → update, else a new SYNC entry. */
        boolean insert(SyncedConnection c) {
            synchronized (table) {
                table.applyingSync(true);
                try {
                    return apply(c);
                } finally {
                    table.applyingSync(false);
                }
            }
        }

        private boolean apply(SyncedConnection c) {
            {
                int caddr = ip(c.clientAddress());
                int vaddr = ip(c.virtualAddress());
                int daddr = ip(c.destinationAddress());
                int id = table.lookupIn(c.protocol(), caddr, c.clientPort(), vaddr, c.virtualPort());
                if (id >= 0 && table.destinationAddress(id) == daddr && table.destinationPort(id) == c.destinationPort()) {
                    table.setState(id, c.state(), 0, c.timeoutSeconds() * 1000);
                    return true;
                }
                if (id >= 0) {
                    table.removeNow(id);
                }
                return table.create(c.protocol(), caddr, c.clientPort(), vaddr, c.virtualPort(), daddr, c.destinationPort(),
                        c.flags() | ConnectionTable.FLAG_SYNC, 0, 0, 0, c.state(), 0, c.timeoutSeconds() * 1000, -1) >= 0;
            }
        }

        /** Schedules a client's connection to a real server, as a packet worker does, then sees it established. */
        int schedule(int client) {
            synchronized (table) {
                int id = table.create(6, 0xcb007100 | (client >>> 8), 10_000 + (client & 0xff), VIP, 80,
                        REAL_SERVERS[client % REAL_SERVERS.length], 8080, 0, 0, 0, 0, ConnectionStates.SYN_RECV, 0, 60_000, -1);
                table.setState(id, ConnectionStates.ESTABLISHED, 0, 900_000);
                return id;
            }
        }

        /** The real server this director would forward the client's packets to, or -1. */
        int realServerOf(int client) {
            synchronized (table) {
                int id = table.lookupIn(6, 0xcb007100 | (client >>> 8), 10_000 + (client & 0xff), VIP, 80);
                return id < 0 ? -1 : table.destinationAddress(id);
            }
        }

        /** A packet of the client's connection moved it to {@code state} here (as a packet worker does). */
        void packet(int client, int state) {
            synchronized (table) {
                int id = table.lookupIn(6, 0xcb007100 | (client >>> 8), 10_000 + (client & 0xff), VIP, 80);
                table.setState(id, state, 0, 10_000);
            }
        }

        int stateOf(int client) {
            synchronized (table) {
                int id = table.lookupIn(6, 0xcb007100 | (client >>> 8), 10_000 + (client & 0xff), VIP, 80);
                return id < 0 ? -1 : table.state(id);
            }
        }

        int size() {
            synchronized (table) {
                return table.size();
            }
        }
    }

    static int ip(java.net.InetAddress a) {
        return ByteBuffer.wrap(((Inet4Address) a).getAddress()).getInt();
    }

    @Test
    void aConnectionScheduledOnOneDirectorExistsOnTheOtherWithTheSameRealServer() throws Exception {
        Director a = new Director();
        Director b = new Director();
        for (int client = 0; client < 1000; client++) {
            a.schedule(client);
        }
        a.replicator.flush();
        await().atMost(Duration.ofSeconds(20)).until(() -> b.size() == 1000);
        for (int client = 0; client < 1000; client++) {
            assertThat(b.realServerOf(client)).as("client %d", client).isEqualTo(a.realServerOf(client))
                    .isEqualTo(REAL_SERVERS[client % REAL_SERVERS.length]);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> b.stateOf(999) == ConnectionStates.ESTABLISHED);
        assertThat(b.stateOf(0)).isEqualTo(ConnectionStates.ESTABLISHED);

        // no echo: the events b's inserts caused are not published back
        assertThat(b.link.published()).isZero();
        assertThat(b.link.syncedNotPublished()).isGreaterThanOrEqualTo(1000);
        assertThat(a.link.inserted()).isZero();
        assertThat(a.replicator.metrics().eventsApplied()).isZero();

        // a remote expiry does not remove b's copy (it ends by its own timeout, as in the kernel protocol)
        synchronized (a.table) {
            a.table.removeNow(a.table.lookupIn(6, 0xcb007100, 10_000, VIP, 80));
        }
        a.replicator.flush();
        await().atMost(Duration.ofSeconds(10)).until(() -> b.link.remoteExpiriesIgnored() == 1);
        assertThat(b.realServerOf(0)).isEqualTo(REAL_SERVERS[0]);
    }

    @Test
    void aDirectorJoiningLaterGetsTheTableByStateTransferIntoItsDataPlane() throws Exception {
        Director a = new Director();
        for (int client = 0; client < 500; client++) {
            a.schedule(client);
        }
        a.replicator.flush();
        Director c = new Director();
        assertThat(c.size()).isZero();
        assertThat(c.link.insertAll(c.replicator.store(), Duration.ofSeconds(10))).isEqualTo(500);
        for (int client = 0; client < 500; client++) {
            assertThat(c.realServerOf(client)).isEqualTo(a.realServerOf(client));
        }
        assertThat(c.stateOf(7)).isEqualTo(ConnectionStates.ESTABLISHED);
    }

    @Test
    void afterAFailoverTheNewMasterSendsStateChangesOfSyncedConnectionsBack() throws Exception {
        Director a = new Director();
        Director b = new Director();
        for (int client = 0; client < 10; client++) {
            a.schedule(client);
        }
        a.replicator.flush();
        await().atMost(Duration.ofSeconds(20)).until(() -> b.stateOf(9) == ConnectionStates.ESTABLISHED);

        // b is master now and forwards the clients' FINs: a (the returning old master) learns of them
        for (int client = 0; client < 10; client++) {
            b.packet(client, ConnectionStates.FIN_WAIT);
        }
        b.replicator.flush();
        await().atMost(Duration.ofSeconds(20)).until(() -> a.stateOf(9) == ConnectionStates.FIN_WAIT);
        assertThat(a.stateOf(0)).isEqualTo(ConnectionStates.FIN_WAIT);
        assertThat(b.link.published()).isEqualTo(10);

        // and a's update of its own entries is not sent to b again (no ping-pong)
        Thread.sleep(300); // several flush intervals: an echo would have been sent by now
        assertThat(a.link.published()).isEqualTo(20); // 10 created + 10 established, nothing since
        assertThat(b.replicator.metrics().eventsApplied()).isEqualTo(20);
    }
}
