package org.lvsha.core.dataplane;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class ConnectionTableTest {
    private final List<String> events = new ArrayList<>();
    private final ConnectionListener recorder = new ConnectionListener() {
        @Override
        public void created(ConnectionTable t, int id) {
            events.add("created " + t.clientPort(id));
        }

        @Override
        public void stateChanged(ConnectionTable t, int id, int previous) {
            events.add("state " + t.clientPort(id) + " " + ConnectionStates.tcpName(previous) + "->" + ConnectionStates.tcpName(t.state(id)));
        }

        @Override
        public void refreshed(ConnectionTable t, int id) {
            events.add("refreshed " + t.clientPort(id));
        }

        @Override
        public void expired(ConnectionTable t, int id) {
            events.add("expired " + t.clientPort(id));
        }
    };

    private static final int C = TestFrames.CLIENT;
    private static final int V = TestFrames.VIP;
    private static final int R = TestFrames.RIP;

    private int nat(ConnectionTable t, int cport, long now, int timeout) {
        return t.create(6, C, cport, V, 80, R, 8080, 0, 0, 0, 0, ConnectionStates.SYN_RECV, now, timeout, -1);
    }

    @Test
    void aNatConnectionIsFoundFromBothSides() {
        ConnectionTable t = new ConnectionTable(16, 100, recorder);
        int id = nat(t, 40000, 0, 60_000);
        assertThat(t.lookupIn(6, C, 40000, V, 80)).isEqualTo(id);
        assertThat(t.lookupOut(6, R, 8080, C, 40000)).isEqualTo(id);
        assertThat(t.lookupIn(17, C, 40000, V, 80)).isEqualTo(-1);
        assertThat(t.lookupIn(6, C, 40001, V, 80)).isEqualTo(-1);
        assertThat(t.lookupOut(6, R, 80, C, 40000)).isEqualTo(-1);
        assertThat(events).containsExactly("created 40000");
    }

    @Test
    void directRoutingEntriesAreNotInTheReplyIndex() {
        ConnectionTable t = new ConnectionTable(16, 100, recorder);
        int id = t.create(6, C, 1, V, 80, R, 80, 3 | ConnectionTable.FLAG_NOOUTPUT, 0, 0, 0, 0, 0, 1000, -1);
        assertThat(t.lookupIn(6, C, 1, V, 80)).isEqualTo(id);
        assertThat(t.lookupOut(6, R, 80, C, 1)).isEqualTo(-1);
    }

    @Test
    void templatesAndConnectionsWithTheSameAddressesAreDistinct() {
        ConnectionTable t = new ConnectionTable(16, 100, recorder);
        int tpl = t.create(6, C & 0xffffff00, 0, V, 80, R, 80, ConnectionTable.FLAG_TEMPLATE | 3, 0, 0, 0, 0, 0, 60_000, 0);
        int conn = t.create(6, C & 0xffffff00, 0, V, 80, R, 80, 3, 0, 0, 0, 0, 0, 60_000, -1);
        assertThat(t.lookupTemplate(6, C & 0xffffff00, V, 80)).isEqualTo(tpl);
        assertThat(t.lookupIn(6, C & 0xffffff00, 0, V, 80)).isEqualTo(conn);
        t.retire(tpl, 0);
        assertThat(t.lookupTemplate(6, C & 0xffffff00, V, 80)).isEqualTo(-1);
        t.expire(100, ConnectionTable.ExpiryPolicy.NEVER);
        assertThat(t.live(tpl)).isFalse();
        assertThat(t.live(conn)).isTrue();
    }

    @Test
    void entriesExpireOnTheWheelAtTheirDeadlineAndPacketsPushTheDeadline() {
        ConnectionTable t = new ConnectionTable(16, 100, recorder);
        int a = nat(t, 1, 0, 1_000);
        int b = nat(t, 2, 0, 1_000);
        t.touch(b, 900, 1_000);
        assertThat(t.expire(999, ConnectionTable.ExpiryPolicy.NEVER)).isZero();
        assertThat(t.expire(1_000, ConnectionTable.ExpiryPolicy.NEVER)).isEqualTo(1);
        assertThat(t.live(a)).isFalse();
        assertThat(t.expire(1_899, ConnectionTable.ExpiryPolicy.NEVER)).isZero();
        assertThat(t.expire(1_900, ConnectionTable.ExpiryPolicy.NEVER)).isEqualTo(1);
        assertThat(events).containsExactly("created 1", "created 2", "refreshed 2", "expired 1", "expired 2");
        assertThat(t.size()).isZero();
    }

    @Test
    void aBusyConnectionWithoutStateChangesIsAnnouncedAgainAfterHalfItsTimeout() {
        ConnectionTable t = new ConnectionTable(16, 100, recorder);
        int id = nat(t, 3, 0, 1_000);
        t.touch(id, 400, 1_000);
        t.touch(id, 500, 1_000); // half the timeout since "created": not yet
        assertThat(events).containsExactly("created 3");
        t.touch(id, 501, 1_000);
        t.touch(id, 900, 1_000);
        assertThat(events).containsExactly("created 3", "refreshed 3");
        t.setState(id, ConnectionStates.ESTABLISHED, 1_200, 1_000); // a state change announces too
        t.touch(id, 1_600, 1_000);
        assertThat(events).containsExactly("created 3", "refreshed 3", "state 3 SYN_RECV->ESTABLISHED");
        t.touch(id, 1_701, 1_000);
        assertThat(events).containsExactly("created 3", "refreshed 3", "state 3 SYN_RECV->ESTABLISHED", "refreshed 3");
    }

    @Test
    void aShorterTimeoutFromAStateChangeTakesEffectAtOnce() {
        ConnectionTable t = new ConnectionTable(16, 100, recorder);
        int id = nat(t, 7, 0, 900_000);
        t.setState(id, ConnectionStates.CLOSE, 1_000, 10_000);
        assertThat(t.expire(10_999, ConnectionTable.ExpiryPolicy.NEVER)).isZero();
        assertThat(t.expire(11_000, ConnectionTable.ExpiryPolicy.NEVER)).isEqualTo(1);
        assertThat(events).containsExactly("created 7", "state 7 SYN_RECV->CLOSE", "expired 7");
    }

    @Test
    void deadlinesBeyondOneWheelTurnAreRefiledNotExpired() {
        ConnectionTable t = new ConnectionTable(4, 100, recorder);
        int id = nat(t, 9, 0, 900_000);
        for (long now = 0; now < 899_000; now += 50_000) {
            assertThat(t.expire(now, ConnectionTable.ExpiryPolicy.NEVER)).isZero();
        }
        assertThat(t.live(id)).isTrue();
        assertThat(t.expire(900_000, ConnectionTable.ExpiryPolicy.NEVER)).isEqualTo(1);
    }

    @Test
    void retainPolicyKeepsAnEntry() {
        ConnectionTable t = new ConnectionTable(4, 100, recorder);
        int id = t.create(6, C, 0, V, 80, R, 80, ConnectionTable.FLAG_TEMPLATE, 0, 0, 0, 0, 0, 1_000, 0);
        t.addControlled(id, 1);
        ConnectionTable.ExpiryPolicy keepControlling = (tab, e) -> {
            if (tab.controlledCount(e) > 0) {
                tab.touch(e, 1_000, 1_000);
                return true;
            }
            return false;
        };
        assertThat(t.expire(1_000, keepControlling)).isZero();
        t.addControlled(id, -1);
        assertThat(t.expire(2_000, keepControlling)).isEqualTo(1);
    }

    @Test
    void aFullTableRefusesAndFreedEntriesAreReused() {
        ConnectionTable t = new ConnectionTable(3, 100, ConnectionListener.NONE);
        for (int i = 0; i < 3; i++) {
            assertThat(nat(t, i, 0, 100)).isGreaterThanOrEqualTo(0);
        }
        assertThat(nat(t, 99, 0, 100)).isEqualTo(-1);
        t.expire(100, ConnectionTable.ExpiryPolicy.NEVER);
        assertThat(t.size()).isZero();
        assertThat(nat(t, 5, 100, 100)).isGreaterThanOrEqualTo(0);
    }

    @Test
    void manyInsertsAndDeletesKeepEveryRemainingEntryFindable() {
        // Backward-shift deletion under heavy collisions (a small table, 1000 rounds).
        ConnectionTable t = new ConnectionTable(64, 100, ConnectionListener.NONE);
        java.util.Random r = new java.util.Random(7);
        java.util.Map<Integer, Integer> live = new java.util.HashMap<>();
        for (int round = 0; round < 5000; round++) {
            int port = r.nextInt(200);
            if (live.containsKey(port)) {
                t.removeNow(live.remove(port));
            } else if (live.size() < 64) {
                live.put(port, nat(t, port, 0, 1_000_000));
            }
            for (var e : live.entrySet()) {
                assertThat(t.lookupIn(6, C, e.getKey(), V, 80)).isEqualTo(e.getValue());
                assertThat(t.lookupOut(6, R, 8080, C, e.getKey())).isEqualTo(e.getValue());
            }
        }
    }
}
