package org.lvsha.vrrp.proto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.lvsha.vrrp.proto.Action.ADD_ADDRESSES;
import static org.lvsha.vrrp.proto.Action.ANNOUNCE;
import static org.lvsha.vrrp.proto.Action.REMOVE_ADDRESSES;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.lvsha.vrrp.proto.Action.Notify;
import org.lvsha.vrrp.proto.Action.ScheduleTimer;
import org.lvsha.vrrp.proto.Action.SendAdvert;
import org.lvsha.vrrp.proto.VrrpEvent.AdvertReceived;
import org.lvsha.vrrp.proto.VrrpEvent.FaultChanged;
import org.lvsha.vrrp.proto.VrrpEvent.GroupFault;
import org.lvsha.vrrp.proto.VrrpEvent.PriorityChanged;
import org.lvsha.vrrp.proto.VrrpEvent.TimerFired;

/** RFC 5798 §6.4 (and RFC 3768 §6.4 for v2), one test per rule; the beyond-RFC rules are marked. */
class VrrpStateMachineTest {
    static final long MS = 1_000_000L;
    static final long S = 1_000_000_000L;
    static final long T0 = 5 * S; // arbitrary origin: nothing may assume the clock starts at 0

    static InetAddress ip(String s) {
        try {
            return InetAddress.getByName(s);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static final InetAddress SELF = ip("203.0.113.2");
    static final InetAddress LOWER_PEER = ip("203.0.113.1");
    static final InetAddress HIGHER_PEER = ip("203.0.113.3");

    static MachineParams params(int version, int priority, int intervalCentis, boolean preempt) {
        return new MachineParams(version, priority, intervalCentis, preempt, 0, SELF, false, S);
    }

    static VrrpStateMachine machine(int priority) {
        return new VrrpStateMachine(params(3, priority, 100, true));
    }

    static List<Action> step(VrrpStateMachine m, VrrpEvent e, long now) {
        return List.copyOf(m.handle(e, now));
    }

    static AdvertReceived advert(int priority, InetAddress from) {
        return new AdvertReceived(priority, 100, from);
    }

    static VrrpStateMachine backup(int priority) {
        VrrpStateMachine m = machine(priority);
        step(m, VrrpEvent.STARTUP, T0);
        assertThat(m.state()).isEqualTo(State.BACKUP);
        return m;
    }

    static VrrpStateMachine master(int priority) {
        VrrpStateMachine m = backup(priority);
        step(m, TimerFired.of(TimerKind.MASTER_DOWN), m.deadline(TimerKind.MASTER_DOWN));
        assertThat(m.state()).isEqualTo(State.MASTER);
        return m;
    }

    static long mdi(int priority, int intervalCentis) {
        return 3 * intervalCentis * 10 * MS + (256 - priority) * intervalCentis * 10 * MS / 256;
    }

    @Nested
    class Timers {
        @ParameterizedTest(name = "priority {0}, interval {1} cs -> {2} ns")
        @CsvSource({"100, 100, 609375000", "254, 1, 78125", "1, 4095, 40790039062", "255, 100, 3906250", "200, 10, 21875000"})
        void v3SkewTimeIsTheInverseOfPriorityTimesMasterAdverIntervalOver256(int prio, int cs, long expected) {
            assertThat(SkewTime.nanos(3, prio, cs)).isEqualTo(expected);
        }

        @ParameterizedTest(name = "priority {0} -> {1} ns whatever the interval")
        @CsvSource({"100, 609375000", "200, 218750000", "254, 7812500", "1, 996093750"})
        void v2SkewTimeIsTheInverseOfPriorityOver256SecondsRegardlessOfInterval(int prio, long expected) {
            assertThat(SkewTime.nanos(2, prio, 100)).isEqualTo(expected);
            assertThat(SkewTime.nanos(2, prio, 500)).isEqualTo(expected);
        }

        @Test
        void masterDownIntervalIsThreeMasterAdverIntervalsPlusSkewTime() {
            assertThat(MasterDownInterval.nanos(3, 100, 100)).isEqualTo(3 * S + 609_375_000L);
            assertThat(MasterDownInterval.nanos(3, 150, 1)).isEqualTo(30 * MS + 106L * 10 * MS / 256);
            assertThat(MasterDownInterval.nanos(2, 100, 300)).isEqualTo(9 * S + 609_375_000L);
        }
    }

    @Nested
    class Initialize {
        @Test
        void ownerWithPriority255GoesStraightToMasterSendingAdvertAndAnnouncing() {
            VrrpStateMachine m = machine(255);
            assertThat(step(m, VrrpEvent.STARTUP, T0)).containsExactly(
                    ADD_ADDRESSES, SendAdvert.of(255), ANNOUNCE, new ScheduleTimer(TimerKind.ADVERT, T0 + S),
                    new Notify(State.INITIALIZE, State.MASTER, TransitionReason.OWNER_STARTUP, 255));
        }

        @Test
        void nonOwnerStartsAsBackupRemovingStaleAddressesAndArmingMasterDownInterval() {
            VrrpStateMachine m = machine(100);
            assertThat(step(m, VrrpEvent.STARTUP, T0)).containsExactly(
                    REMOVE_ADDRESSES, new ScheduleTimer(TimerKind.MASTER_DOWN, T0 + mdi(100, 100)),
                    new Notify(State.INITIALIZE, State.BACKUP, TransitionReason.STARTUP, 100));
            assertThat(m.masterAdverIntervalCentis()).isEqualTo(100);
        }

        @Test
        void restartResetsMasterAdverIntervalToOurOwnAdvertisementInterval() {
            VrrpStateMachine m = backup(100);
            step(m, new AdvertReceived(200, 10, HIGHER_PEER), T0 + S);
            assertThat(m.masterAdverIntervalCentis()).isEqualTo(10);
            step(m, VrrpEvent.SHUTDOWN, T0 + 2 * S);
            step(m, VrrpEvent.STARTUP, T0 + 3 * S);
            assertThat(m.masterAdverIntervalCentis()).isEqualTo(100);
            assertThat(m.deadline(TimerKind.MASTER_DOWN)).isEqualTo(T0 + 3 * S + mdi(100, 100));
        }

        @Test
        void startupOutsideInitializeIsIgnored() {
            VrrpStateMachine m = backup(100);
            assertThat(step(m, VrrpEvent.STARTUP, T0 + S)).isEmpty();
        }

        @Test
        void initializeIgnoresAdvertsAndTimers() {
            VrrpStateMachine m = machine(100);
            assertThat(step(m, advert(200, HIGHER_PEER), T0)).isEmpty();
            assertThat(step(m, TimerFired.of(TimerKind.MASTER_DOWN), T0)).isEmpty();
            assertThat(m.state()).isEqualTo(State.INITIALIZE);
        }
    }

    @Nested
    class Backup {
        @Test
        void backupBecomesMasterExactlyWhenMasterDownTimerFires() {
            VrrpStateMachine m = backup(100);
            long deadline = T0 + mdi(100, 100);
            assertThat(step(m, TimerFired.of(TimerKind.MASTER_DOWN), deadline - 1)).isEmpty();
            assertThat(step(m, TimerFired.of(TimerKind.MASTER_DOWN), deadline)).containsExactly(
                    ADD_ADDRESSES, SendAdvert.of(100), ANNOUNCE,
                    new ScheduleTimer(TimerKind.ADVERT, deadline + S),
                    new Notify(State.BACKUP, State.MASTER, TransitionReason.MASTER_DOWN_TIMER, 100));
        }

        @Test
        void backupReceivingPriorityZeroSetsMasterDownTimerToSkewTime() {
            VrrpStateMachine m = backup(100);
            long now = T0 + S;
            assertThat(step(m, advert(0, HIGHER_PEER), now))
                    .containsExactly(new ScheduleTimer(TimerKind.MASTER_DOWN, now + 609_375_000L));
            step(m, TimerFired.of(TimerKind.MASTER_DOWN), now + 609_375_000L);
            assertThat(m.state()).isEqualTo(State.MASTER);
        }

        @ParameterizedTest(name = "advert priority {0} vs local 100")
        @CsvSource({"101", "100", "254", "255"})
        void backupHearingHigherOrEqualPriorityResetsMasterDownTimer(int advertPriority) {
            VrrpStateMachine m = backup(100);
            long now = T0 + 2 * S;
            assertThat(step(m, advert(advertPriority, HIGHER_PEER), now))
                    .containsExactly(new ScheduleTimer(TimerKind.MASTER_DOWN, now + mdi(100, 100)));
            assertThat(m.masterAddress()).isEqualTo(HIGHER_PEER);
            assertThat(m.masterPriority()).isEqualTo(advertPriority);
        }

        @Test
        void backupWithPreemptDiscardsLowerPriorityAdvertAndPreemptsAtMasterDownInterval() {
            VrrpStateMachine m = backup(200);
            long armed = m.deadline(TimerKind.MASTER_DOWN);
            assertThat(step(m, advert(100, LOWER_PEER), T0 + S)).isEmpty();
            assertThat(m.deadline(TimerKind.MASTER_DOWN)).isEqualTo(armed);
            step(m, TimerFired.of(TimerKind.MASTER_DOWN), armed);
            assertThat(m.state()).isEqualTo(State.MASTER);
        }

        @Test
        void backupWithoutPreemptAcceptsALowerPriorityMaster() {
            VrrpStateMachine m = new VrrpStateMachine(params(3, 200, 100, false));
            step(m, VrrpEvent.STARTUP, T0);
            assertThat(step(m, advert(100, LOWER_PEER), T0 + S))
                    .containsExactly(new ScheduleTimer(TimerKind.MASTER_DOWN, T0 + S + mdi(200, 100)));
        }

        @Test
        void v3BackupAdoptsTheMastersAdvertIntervalAndRecomputesMasterDownInterval() {
            VrrpStateMachine m = backup(100);
            long now = T0 + S;
            step(m, new AdvertReceived(200, 10, HIGHER_PEER), now);
            assertThat(m.masterAdverIntervalCentis()).isEqualTo(10);
            assertThat(m.deadline(TimerKind.MASTER_DOWN)).isEqualTo(now + mdi(100, 10));
            assertThat(m.skewTime()).isEqualTo(SkewTime.nanos(3, 100, 10));
        }

        @Test
        void v2BackupKeepsItsOwnIntervalAndUsesTheV2SkewTime() {
            VrrpStateMachine m = new VrrpStateMachine(params(2, 100, 100, true));
            step(m, VrrpEvent.STARTUP, T0);
            long now = T0 + S;
            step(m, new AdvertReceived(200, 300, HIGHER_PEER), now);
            assertThat(m.masterAdverIntervalCentis()).isEqualTo(100);
            assertThat(m.deadline(TimerKind.MASTER_DOWN)).isEqualTo(now + 3 * S + 609_375_000L);
        }

        @Test
        void preemptDelayToleratesALowerPriorityMasterUntilItHasElapsedSinceStartup() {
            VrrpStateMachine m = new VrrpStateMachine(new MachineParams(3, 200, 100, true, 10 * S, SELF, false, S));
            step(m, VrrpEvent.STARTUP, T0);
            assertThat(step(m, advert(100, LOWER_PEER), T0 + 10 * S - 1))
                    .containsExactly(new ScheduleTimer(TimerKind.MASTER_DOWN, T0 + 10 * S - 1 + mdi(200, 100)));
            assertThat(step(m, advert(100, LOWER_PEER), T0 + 10 * S)).isEmpty();
            step(m, TimerFired.of(TimerKind.MASTER_DOWN), m.deadline(TimerKind.MASTER_DOWN));
            assertThat(m.state()).isEqualTo(State.MASTER);
        }

        @Test
        void backupShutdownCancelsMasterDownTimerAndReturnsToInitialize() {
            VrrpStateMachine m = backup(100);
            assertThat(step(m, VrrpEvent.SHUTDOWN, T0 + S)).containsExactly(Action.CANCEL_MASTER_DOWN,
                    new Notify(State.BACKUP, State.INITIALIZE, TransitionReason.SHUTDOWN, 100));
            assertThat(m.nextDeadline()).isEqualTo(Long.MAX_VALUE);
        }

        @Test
        void staleTimerAfterAnAdvertResetIsIgnored() {
            VrrpStateMachine m = backup(100);
            long first = m.deadline(TimerKind.MASTER_DOWN);
            step(m, advert(200, HIGHER_PEER), T0 + S);
            assertThat(step(m, TimerFired.of(TimerKind.MASTER_DOWN), first)).isEmpty();
            assertThat(step(m, TimerFired.of(TimerKind.ADVERT), first)).isEmpty();
            assertThat(m.state()).isEqualTo(State.BACKUP);
        }

        @Test
        void trackedPriorityChangeInBackupChangesSkewTime() {
            VrrpStateMachine m = backup(100);
            assertThat(step(m, new PriorityChanged(200), T0)).isEmpty();
            assertThat(m.skewTime()).isEqualTo(SkewTime.nanos(3, 200, 100));
            step(m, advert(250, HIGHER_PEER), T0 + S);
            assertThat(m.deadline(TimerKind.MASTER_DOWN)).isEqualTo(T0 + S + mdi(200, 100));
        }
    }

    @Nested
    class Master {
        @Test
        void masterSendsAnAdvertAndRearmsWhenAdverTimerFires() {
            VrrpStateMachine m = master(100);
            long t = m.deadline(TimerKind.ADVERT);
            assertThat(step(m, TimerFired.of(TimerKind.ADVERT), t))
                    .containsExactly(SendAdvert.of(100), new ScheduleTimer(TimerKind.ADVERT, t + S));
        }

        @Test
        void masterShutdownSendsPriorityZeroAdvertAndRemovesAddresses() {
            VrrpStateMachine m = master(100);
            assertThat(step(m, VrrpEvent.SHUTDOWN, T0 + 9 * S)).containsExactly(Action.CANCEL_ADVERT, SendAdvert.of(0),
                    REMOVE_ADDRESSES, new Notify(State.MASTER, State.INITIALIZE, TransitionReason.SHUTDOWN, 100));
        }

        @Test
        void masterReceivingPriorityZeroSendsAnAdvertAndResetsAdverTimer() {
            VrrpStateMachine m = master(100);
            long now = T0 + 4 * S + 3;
            assertThat(step(m, advert(0, HIGHER_PEER), now))
                    .containsExactly(SendAdvert.of(100), new ScheduleTimer(TimerKind.ADVERT, now + S));
        }

        @Test
        void masterHearingHigherPriorityBecomesBackupAdoptingItsInterval() {
            VrrpStateMachine m = master(100);
            long now = T0 + 6 * S;
            assertThat(step(m, new AdvertReceived(101, 50, LOWER_PEER), now)).containsExactly(Action.CANCEL_ADVERT,
                    REMOVE_ADDRESSES, new ScheduleTimer(TimerKind.MASTER_DOWN, now + mdi(100, 50)),
                    new Notify(State.MASTER, State.BACKUP, TransitionReason.HIGHER_PRIORITY_ADVERT, 100));
            assertThat(m.masterAdverIntervalCentis()).isEqualTo(50);
        }

        @ParameterizedTest(name = "local {0} vs sender {1}: sender wins = {2}")
        @CsvSource({
            "203.0.113.2, 203.0.113.3, true",
            "203.0.113.2, 203.0.113.1, false",
            "203.0.113.3, 203.0.113.200, true",   // 200 > 3 only when bytes are compared unsigned
            "203.0.113.200, 203.0.113.3, false",
            "10.0.0.1, 192.0.2.1, true",          // 192 (0xc0) > 10 unsigned
            "2001:db8::2, 2001:db8::10, true",
            "2001:db8::ff00, 2001:db8::1, false"})
        void equalPriorityTieBreakFavoursTheHigherPrimaryAddressComparedAsUnsignedBytes(String local, String sender, boolean senderWins) {
            VrrpStateMachine m = new VrrpStateMachine(new MachineParams(3, 100, 100, true, 0, ip(local), false, S));
            step(m, VrrpEvent.STARTUP, T0);
            step(m, TimerFired.of(TimerKind.MASTER_DOWN), m.deadline(TimerKind.MASTER_DOWN));
            step(m, advert(100, ip(sender)), T0 + 10 * S);
            assertThat(m.state()).isEqualTo(senderWins ? State.BACKUP : State.MASTER);
        }

        @Test
        void masterHearingALowerPriorityAdvertStaysMasterAndReannouncesAtOnce() {
            // Beyond §6.4.3 (which discards): split-brain healing.
            VrrpStateMachine m = master(100);
            long now = T0 + 7 * S;
            assertThat(step(m, advert(50, HIGHER_PEER), now))
                    .containsExactly(SendAdvert.of(100), new ScheduleTimer(TimerKind.ADVERT, now + S), ANNOUNCE);
            assertThat(m.state()).isEqualTo(State.MASTER);
        }

        @Test
        void splitBrainReannounceIsRateLimitedToOncePerGap() {
            VrrpStateMachine m = master(100);
            long now = T0 + 7 * S;
            step(m, advert(50, HIGHER_PEER), now);
            assertThat(step(m, advert(50, HIGHER_PEER), now + S - 1)).isEmpty();
            assertThat(step(m, advert(50, HIGHER_PEER), now + S)).contains(ANNOUNCE);
        }

        @Test
        void trackedPriorityChangeInMasterIsAdvertisedImmediately() {
            VrrpStateMachine m = master(100);
            long now = T0 + 5 * S;
            assertThat(step(m, new PriorityChanged(90), now))
                    .containsExactly(SendAdvert.of(90), new ScheduleTimer(TimerKind.ADVERT, now + S));
        }

        @Test
        void ownerPriority255DiscardsEveryAdvertEvenAnotherOwners() {
            VrrpStateMachine m = machine(255);
            step(m, VrrpEvent.STARTUP, T0);
            assertThat(step(m, advert(255, HIGHER_PEER), T0 + 1)).isEmpty();
            assertThat(step(m, advert(0, HIGHER_PEER), T0 + 2)).isEmpty();
            assertThat(m.state()).isEqualTo(State.MASTER);
        }

        @Test
        void ownerPriority255IsNotAdjustedByTracking() {
            VrrpStateMachine m = machine(255);
            step(m, VrrpEvent.STARTUP, T0);
            assertThat(step(m, new PriorityChanged(100), T0 + 1)).isEmpty();
            assertThat(m.priority()).isEqualTo(255);
        }
    }

    @Nested
    class Fault {
        @Test
        void faultInMasterSendsPriorityZeroRemovesAddressesAndGoesToFault() {
            VrrpStateMachine m = master(100);
            assertThat(step(m, new FaultChanged(true), T0 + 9 * S)).containsExactly(Action.CANCEL_ADVERT, SendAdvert.of(0),
                    REMOVE_ADDRESSES, new Notify(State.MASTER, State.FAULT, TransitionReason.FAULT, 100));
        }

        @Test
        void faultInBackupCancelsMasterDownTimerAndFaultIgnoresAdvertsAndTimers() {
            VrrpStateMachine m = backup(100);
            long d = m.deadline(TimerKind.MASTER_DOWN);
            step(m, new FaultChanged(true), T0 + 1);
            assertThat(m.state()).isEqualTo(State.FAULT);
            assertThat(step(m, TimerFired.of(TimerKind.MASTER_DOWN), d)).isEmpty();
            assertThat(step(m, advert(0, HIGHER_PEER), d)).isEmpty();
            assertThat(m.state()).isEqualTo(State.FAULT);
        }

        @Test
        void clearedFaultRestartsAsBackupWithAFreshMasterDownTimer() {
            VrrpStateMachine m = backup(100);
            step(m, new FaultChanged(true), T0 + 1);
            long now = T0 + 20 * S;
            assertThat(step(m, new FaultChanged(false), now)).containsExactly(REMOVE_ADDRESSES,
                    new ScheduleTimer(TimerKind.MASTER_DOWN, now + mdi(100, 100)),
                    new Notify(State.FAULT, State.BACKUP, TransitionReason.FAULT_CLEARED, 100));
        }

        @Test
        void faultPresentAtStartupStartsInFault() {
            VrrpStateMachine m = machine(255);
            step(m, new FaultChanged(true), T0);
            assertThat(step(m, VrrpEvent.STARTUP, T0)).containsExactly(
                    new Notify(State.INITIALIZE, State.FAULT, TransitionReason.FAULT, 255));
        }

        @Test
        void ownAndGroupFaultsMustBothClearBeforeLeavingFault() {
            VrrpStateMachine m = new VrrpStateMachine(new MachineParams(3, 100, 100, true, 0, SELF, true, S));
            step(m, VrrpEvent.STARTUP, T0);
            step(m, new FaultChanged(true), T0);
            step(m, new GroupFault(true), T0);
            step(m, new FaultChanged(false), T0 + 1);
            assertThat(m.state()).isEqualTo(State.FAULT);
            step(m, new GroupFault(false), T0 + 2);
            assertThat(m.state()).isEqualTo(State.BACKUP);
        }
    }

    @Nested
    class SyncGroupMember {
        VrrpStateMachine grouped(int priority) {
            VrrpStateMachine m = new VrrpStateMachine(new MachineParams(3, priority, 100, true, 0, SELF, true, S));
            step(m, VrrpEvent.STARTUP, T0);
            return m;
        }

        @Test
        void groupedBackupAsksTheGroupInsteadOfTakingOverAlone() {
            VrrpStateMachine m = grouped(100);
            assertThat(step(m, TimerFired.of(TimerKind.MASTER_DOWN), m.deadline(TimerKind.MASTER_DOWN)))
                    .containsExactly(Action.REQUEST_MASTER);
            assertThat(m.state()).isEqualTo(State.BACKUP);
            assertThat(m.wantsMaster()).isTrue();
            step(m, VrrpEvent.GROUP_GO_MASTER, T0 + 9 * S);
            assertThat(m.state()).isEqualTo(State.MASTER);
        }

        @Test
        void groupGoMasterIsIgnoredByAMemberThatDoesNotWantMastership() {
            VrrpStateMachine m = grouped(100);
            assertThat(step(m, VrrpEvent.GROUP_GO_MASTER, T0 + 1)).isEmpty();
        }

        @Test
        void hearingAMasterWithdrawsTheWish() {
            VrrpStateMachine m = grouped(100);
            step(m, TimerFired.of(TimerKind.MASTER_DOWN), m.deadline(TimerKind.MASTER_DOWN));
            step(m, advert(200, HIGHER_PEER), T0 + 9 * S);
            assertThat(m.wantsMaster()).isFalse();
        }

        @Test
        void priorityZeroDoesNotReArmTheTimerOfAMemberAlreadyWaitingForItsGroup() {
            VrrpStateMachine m = grouped(100);
            step(m, TimerFired.of(TimerKind.MASTER_DOWN), m.deadline(TimerKind.MASTER_DOWN));
            assertThat(step(m, advert(0, HIGHER_PEER), T0 + 9 * S)).containsExactly(Action.PEER_RESIGNED);
            assertThat(m.wantsMaster()).isTrue();
        }

        @Test
        void aResigningMasterIsToldToTheSiblings() {
            VrrpStateMachine m = grouped(100);
            step(m, advert(200, HIGHER_PEER), T0 + S);
            long now = T0 + S + 300 * MS;
            assertThat(step(m, advert(0, HIGHER_PEER), now)).containsExactly(
                    new ScheduleTimer(TimerKind.MASTER_DOWN, now + m.skewTime()), Action.PEER_RESIGNED);
        }

        @Test
        void aSiblingsResigningMasterShortensTheWaitToOneAndAHalfIntervalsAfterTheLastAdvertPlusSkew() {
            VrrpStateMachine m = grouped(100);
            long heard = T0 + S;
            step(m, advert(200, HIGHER_PEER), heard);
            // 1 s adverts: the master's next advert is due at heard + 1 s; we wait until heard + 1.5 s + skew.
            long now = heard + 200 * MS;
            assertThat(step(m, VrrpEvent.GROUP_PEER_RESIGNED, now))
                    .containsExactly(new ScheduleTimer(TimerKind.MASTER_DOWN, heard + 1500 * MS + m.skewTime()));
            // a master still alive on this link speaks in that window: the usual Master_Down_Interval again
            step(m, advert(200, HIGHER_PEER), heard + S);
            assertThat(m.deadline(TimerKind.MASTER_DOWN)).isEqualTo(heard + S + m.masterDownInterval());
        }

        @Test
        void aSiblingsResigningMasterNeverDelaysTheTimerNorBringsItUnderSkewTime() {
            VrrpStateMachine m = grouped(100);
            long heard = T0 + S;
            step(m, advert(200, HIGHER_PEER), heard);
            long now = heard + 2 * S; // the master is already late here: Skew_Time from now
            step(m, VrrpEvent.GROUP_PEER_RESIGNED, now);
            assertThat(m.deadline(TimerKind.MASTER_DOWN)).isEqualTo(now + m.skewTime());
            step(m, advert(0, HIGHER_PEER), now + 1);                   // own priority 0: Skew_Time from then
            long armed = m.deadline(TimerKind.MASTER_DOWN);
            assertThat(step(m, VrrpEvent.GROUP_PEER_RESIGNED, now + 2)).isEmpty(); // later than what is armed
            assertThat(m.deadline(TimerKind.MASTER_DOWN)).isEqualTo(armed);
        }

        @Test
        void aSiblingsResigningMasterMeansNothingToAMasterOrAMemberAlreadyWaiting() {
            VrrpStateMachine m = grouped(100);
            step(m, TimerFired.of(TimerKind.MASTER_DOWN), m.deadline(TimerKind.MASTER_DOWN));
            assertThat(step(m, VrrpEvent.GROUP_PEER_RESIGNED, T0 + 9 * S)).isEmpty();
            step(m, VrrpEvent.GROUP_GO_MASTER, T0 + 9 * S);
            assertThat(step(m, VrrpEvent.GROUP_PEER_RESIGNED, T0 + 10 * S)).isEmpty();
            assertThat(m.state()).isEqualTo(State.MASTER);
        }

        @Test
        void masterFollowingItsGroupToBackupSendsPriorityZero() {
            VrrpStateMachine m = grouped(100);
            step(m, TimerFired.of(TimerKind.MASTER_DOWN), m.deadline(TimerKind.MASTER_DOWN));
            step(m, VrrpEvent.GROUP_GO_MASTER, T0 + 9 * S);
            assertThat(step(m, VrrpEvent.GROUP_BACKUP, T0 + 10 * S)).startsWith(SendAdvert.of(0), Action.CANCEL_ADVERT, REMOVE_ADDRESSES)
                    .endsWith(new Notify(State.MASTER, State.BACKUP, TransitionReason.SYNC_GROUP, 100));
        }
    }

    @Nested
    class Switchover {
        @Test
        void switchoverSendsPriorityZeroButKeepsAddressesUntilTheNewMasterIsHeard() {
            VrrpStateMachine m = master(200);
            long now = T0 + 10 * S;
            List<Action> a = step(m, VrrpEvent.SWITCHOVER, now);
            assertThat(a).startsWith(Action.CANCEL_ADVERT, SendAdvert.of(0)).doesNotContain(REMOVE_ADDRESSES);
            assertThat(m.state()).isEqualTo(State.MASTER);
            assertThat(step(m, TimerFired.of(TimerKind.ADVERT), now + S)).isEmpty(); // silent while handing over
            assertThat(step(m, advert(100, LOWER_PEER), now + 400 * MS)).contains(REMOVE_ADDRESSES)
                    .endsWith(new Notify(State.MASTER, State.BACKUP, TransitionReason.SWITCHOVER, 200));
        }

        @Test
        void oldMasterDoesNotPreemptBackAfterASwitchover() {
            VrrpStateMachine m = master(200);
            step(m, VrrpEvent.SWITCHOVER, T0 + 10 * S);
            step(m, advert(100, LOWER_PEER), T0 + 10 * S + 400 * MS);
            long now = T0 + 11 * S;
            assertThat(step(m, advert(100, LOWER_PEER), now))
                    .containsExactly(new ScheduleTimer(TimerKind.MASTER_DOWN, now + mdi(200, 100)));
        }

        @Test
        void switchoverWithNobodyToTakeOverResumesMastership() {
            VrrpStateMachine m = master(200);
            long now = T0 + 10 * S;
            step(m, VrrpEvent.SWITCHOVER, now);
            long d = m.deadline(TimerKind.HANDOVER);
            // 1 s adverts: Master_Down_Interval plus one interval is above the 3 s floor.
            assertThat(d - now).isEqualTo(mdi(1, 100) + S);
            assertThat(step(m, TimerFired.of(TimerKind.HANDOVER), d)).containsExactly(SendAdvert.of(200),
                    new ScheduleTimer(TimerKind.ADVERT, d + S));
            assertThat(m.handingOver()).isFalse();
        }

        @Test
        void theHandoverWindowIsTheProtocolsFigureWithAFloorOfThreeSeconds() {
            // 100 ms adverts: 3 x 100 ms + skew (1) + 100 ms = 403.9 ms by the protocol, 3 s by the floor.
            assertThat(VrrpStateMachine.handoverWindowNanos(3, 10)).isEqualTo(3_000_000_000L);
            // 1 s adverts: 3 s + 996 ms skew + 1 s.
            assertThat(VrrpStateMachine.handoverWindowNanos(3, 100)).isEqualTo(4_996_093_750L);
            assertThat(VrrpStateMachine.handoverWindowNanos(2, 100)).isEqualTo(MasterDownInterval.nanos(2, 1, 100) + S);
        }

        @Test
        void addressOwnerIgnoresSwitchover() {
            VrrpStateMachine m = machine(255);
            step(m, VrrpEvent.STARTUP, T0);
            assertThat(step(m, VrrpEvent.SWITCHOVER, T0 + 1)).isEmpty();
        }

        @Test
        void switchoverOnABackupIsIgnored() {
            assertThat(step(backup(100), VrrpEvent.SWITCHOVER, T0 + 1)).isEmpty();
        }
    }

    @Test
    void sameEventsOnTheSameStateGiveTheSameActions() {
        VrrpStateMachine a = master(150);
        VrrpStateMachine b = master(150);
        for (long t = T0; t < T0 + 30 * S; t += 333 * MS) {
            VrrpEvent e = (t / MS) % 3 == 0 ? advert(120, HIGHER_PEER) : TimerFired.of(TimerKind.ADVERT);
            assertThat(step(a, e, t)).isEqualTo(step(b, e, t));
        }
    }
}
