package org.lvsha.vrrp.proto;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Random event sequences (seeded, so a failure replays) against invariants that every RFC 5798 §6.4
 * state implies: which timers are armed in which state, addresses only while master, adverts only from
 * a master (or priority 0 when leaving), and notifications that match the state actually entered.
 */
class StateMachineInvariantsTest {
    static final InetAddress[] PEERS = {VrrpStateMachineTest.ip("203.0.113.1"), VrrpStateMachineTest.ip("203.0.113.2"),
        VrrpStateMachineTest.ip("203.0.113.3")};
    static final long NONE = Long.MIN_VALUE;

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
    void invariantsHoldUnderRandomEvents(long seed) {
        Random r = new Random(seed);
        boolean grouped = seed % 2 == 0;
        int configured = seed % 4 == 3 ? 255 : 1 + r.nextInt(254); // odd seeds: owners are never grouped (NodeConfig refuses it)
        MachineParams p = new MachineParams(seed % 3 == 0 ? 2 : 3, configured, 1 + r.nextInt(200), r.nextBoolean(),
                r.nextInt(3) * 1_000_000_000L, PEERS[1], grouped, 500_000_000L);
        VrrpStateMachine m = new VrrpStateMachine(p);
        if (!grouped) {
            assertThat(m.handle(VrrpEvent.GROUP_BACKUP, 0)).as("group events ignored outside a group").isEmpty();
            assertThat(m.handle(VrrpEvent.GROUP_PEER_RESIGNED, 0)).as("group events ignored outside a group").isEmpty();
        }
        long now = 1_000_000_000L;
        boolean addressesUp = false;
        for (int step = 0; step < 20_000; step++) {
            now += r.nextInt(4) == 0 ? 0 : r.nextInt(300_000_000);
            VrrpEvent e = randomEvent(r, m, now);
            if (e instanceof VrrpEvent.TimerFired t && m.deadline(t.kind()) != NONE && r.nextBoolean()) {
                now = Math.max(now, m.deadline(t.kind()));
            }
            State before = m.state();
            long downBefore = m.deadline(TimerKind.MASTER_DOWN);
            List<Action> actions = List.copyOf(m.handle(e, now));
            State after = m.state();
            final int stepNo = step;
            final State was = before;
            final long t = now;
            java.util.function.Supplier<String> ctx = () -> "seed " + seed + " step " + stepNo + " at " + t + " " + e + " " + was + "->"
                    + m.state() + " " + actions;

            State expectedFrom = before;
            for (Action a : actions) {
                if (a instanceof Action.Notify n) {
                    assertThat(n.from()).as(ctx).isEqualTo(expectedFrom);
                    expectedFrom = n.to();
                } else if (a instanceof Action.AddAddresses) {
                    addressesUp = true;
                } else if (a instanceof Action.RemoveAddresses) {
                    addressesUp = false;
                } else if (a instanceof Action.SendAdvert s && s.priority() > 0) {
                    assertThat(after).as(ctx).isEqualTo(State.MASTER);
                    assertThat(s.priority()).as(ctx).isEqualTo(m.priority());
                }
            }
            assertThat(expectedFrom).as(ctx).isEqualTo(after);
            if (e instanceof VrrpEvent.GroupPeerResigned && downBefore != NONE) {
                // a sibling's news only shortens the wait, and never below Skew_Time from now
                assertThat(m.deadline(TimerKind.MASTER_DOWN)).as(ctx).isLessThanOrEqualTo(downBefore);
                if (m.deadline(TimerKind.MASTER_DOWN) != downBefore) {
                    assertThat(m.deadline(TimerKind.MASTER_DOWN)).as(ctx).isGreaterThanOrEqualTo(t + m.skewTime());
                }
            }
            assertThat(addressesUp).as(() -> ctx.get() + " addresses only while master").isEqualTo(after == State.MASTER);
            switch (after) {
                case MASTER -> {
                    assertThat(m.deadline(TimerKind.MASTER_DOWN)).as(ctx).isEqualTo(NONE);
                    assertThat(m.deadline(TimerKind.ADVERT) != NONE).as(() -> ctx.get() + " advert timer xor handover").isNotEqualTo(m.handingOver());
                    assertThat(m.deadline(TimerKind.HANDOVER) != NONE).as(ctx).isEqualTo(m.handingOver());
                }
                case BACKUP -> {
                    assertThat(m.deadline(TimerKind.ADVERT)).as(ctx).isEqualTo(NONE);
                    assertThat(m.deadline(TimerKind.HANDOVER)).as(ctx).isEqualTo(NONE);
                    assertThat(m.deadline(TimerKind.MASTER_DOWN) != NONE).as(() -> ctx.get() + " down timer unless waiting for the group")
                            .isNotEqualTo(m.wantsMaster());
                    assertThat(p.owner()).as(() -> ctx.get() + " an owner is never backup").isFalse();
                }
                default -> assertThat(m.nextDeadline()).as(ctx).isEqualTo(Long.MAX_VALUE);
            }
            if (after == State.FAULT) {
                assertThat(m.faulty()).as(ctx).isTrue();
            }
            assertThat(m.priority()).as(ctx).isBetween(1, 255);
            if (p.owner()) {
                assertThat(m.priority()).as(ctx).isEqualTo(255);
            }
        }
    }

    private static VrrpEvent randomEvent(Random r, VrrpStateMachine m, long now) {
        return switch (r.nextInt(15)) {
            case 0 -> VrrpEvent.STARTUP;
            case 1 -> r.nextInt(4) == 0 ? VrrpEvent.SHUTDOWN : VrrpEvent.STARTUP;
            case 2, 3, 4 -> new VrrpEvent.AdvertReceived(r.nextInt(8) == 0 ? 0 : r.nextInt(256), 1 + r.nextInt(300),
                    PEERS[r.nextInt(PEERS.length)]);
            case 5, 6, 7 -> VrrpEvent.TimerFired.of(TimerKind.values()[r.nextInt(3)]);
            case 8 -> new VrrpEvent.PriorityChanged(1 + r.nextInt(254));
            case 9 -> new VrrpEvent.FaultChanged(r.nextInt(3) == 0);
            case 10 -> new VrrpEvent.GroupFault(r.nextInt(4) == 0);
            case 11 -> VrrpEvent.GROUP_GO_MASTER;
            case 12 -> VrrpEvent.GROUP_BACKUP;
            case 13 -> VrrpEvent.GROUP_PEER_RESIGNED;
            default -> VrrpEvent.SWITCHOVER;
        };
    }
}
