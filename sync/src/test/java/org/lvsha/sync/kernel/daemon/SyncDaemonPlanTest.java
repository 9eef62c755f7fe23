package org.lvsha.sync.kernel.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.lvsha.core.ipvs.Errno;
import org.lvsha.core.ipvs.InMemoryIpvs;
import org.lvsha.core.ipvs.Ipvs;
import org.lvsha.core.ipvs.IpvsException;
import org.lvsha.core.ipvs.IpvsOperation;
import org.lvsha.core.ipvs.SyncDaemon;
import org.lvsha.core.ipvs.SyncState;

/** keepalived's lvs_sync_daemon rules as a table: (role, running daemons) → commands. */
class SyncDaemonPlanTest {
    static final SyncDaemonSettings S = SyncDaemonSettings.of("eth1", 7);
    static final SyncDaemonSettings BOTH = S.withBackupWhileMaster(true);
    static final SyncDaemon M = S.daemon(SyncState.MASTER);
    static final SyncDaemon B = S.daemon(SyncState.BACKUP);
    static final DaemonCommand START_M = new DaemonCommand.Start(M);
    static final DaemonCommand START_B = new DaemonCommand.Start(B);
    static final DaemonCommand STOP_M = new DaemonCommand.Stop(SyncState.MASTER);
    static final DaemonCommand STOP_B = new DaemonCommand.Stop(SyncState.BACKUP);

    static Stream<Arguments> transitions() {
        return Stream.of(
                // role, settings, running, expected commands
                Arguments.of(DirectorRole.INITIALIZE, S, List.of(), List.of(START_B)),
                Arguments.of(DirectorRole.BACKUP, S, List.of(), List.of(START_B)),
                Arguments.of(DirectorRole.BACKUP, S, List.of(B), List.of()),
                Arguments.of(DirectorRole.MASTER, S, List.of(B), List.of(STOP_B, START_M)),
                Arguments.of(DirectorRole.MASTER, S, List.of(M), List.of()),
                Arguments.of(DirectorRole.MASTER, S, List.of(M, B), List.of(STOP_B)),
                Arguments.of(DirectorRole.BACKUP, S, List.of(M), List.of(STOP_M, START_B)),
                Arguments.of(DirectorRole.FAULT, S, List.of(M), List.of(STOP_M, START_B)),
                Arguments.of(DirectorRole.FAULT, S, List.of(B), List.of()),
                Arguments.of(DirectorRole.STOPPED, S, List.of(M, B), List.of(STOP_M, STOP_B)),
                Arguments.of(DirectorRole.STOPPED, S, List.of(), List.of()),
                Arguments.of(DirectorRole.MASTER, BOTH, List.of(B), List.of(START_M)),
                Arguments.of(DirectorRole.MASTER, BOTH, List.of(), List.of(START_M, START_B)),
                Arguments.of(DirectorRole.BACKUP, BOTH, List.of(M, B), List.of(STOP_M)));
    }

    @ParameterizedTest(name = "{0} with {2} running → {3}")
    @MethodSource("transitions")
    void eachRoleRunsTheDaemonsKeepalivedWouldRun(DirectorRole role, SyncDaemonSettings s, List<SyncDaemon> running,
                                                  List<DaemonCommand> expected) {
        assertThat(SyncDaemonPlan.plan(role, running, s)).containsExactlyElementsOf(expected);
    }

    @Test
    void aDaemonRunningWithOtherParametersIsRestartedStopFirst() {
        SyncDaemon onOtherInterface = new SyncDaemon(SyncState.BACKUP, "eth0", 7, 0, null, 0, 0);
        SyncDaemon otherSyncId = new SyncDaemon(SyncState.BACKUP, "eth1", 8, 0, null, 0, 0);
        assertThat(SyncDaemonPlan.plan(DirectorRole.BACKUP, List.of(onOtherInterface), S)).containsExactly(STOP_B, START_B);
        assertThat(SyncDaemonPlan.plan(DirectorRole.BACKUP, List.of(otherSyncId), S)).containsExactly(STOP_B, START_B);
    }

    @Test
    void kernelDefaultsReportedBackMatchSettingsThatLeftThemOut() throws Exception {
        SyncDaemon asKernelReportsIt = new SyncDaemon(SyncState.BACKUP, "eth1", 7, 1472, InetAddress.getByName("224.0.0.81"), 8848, 1);
        assertThat(SyncDaemonPlan.plan(DirectorRole.BACKUP, List.of(asKernelReportsIt), S)).isEmpty();
        SyncDaemonSettings port9000 = S.withPort(9000);
        assertThat(SyncDaemonPlan.plan(DirectorRole.BACKUP, List.of(asKernelReportsIt), port9000))
                .containsExactly(STOP_B, new DaemonCommand.Start(port9000.daemon(SyncState.BACKUP)));
    }

    @Test
    void inRelayModeTheMasterSendsToItsOwnPortAndTheBackupListensOnTheOther() {
        SyncDaemonSettings relay = S.withPort(8848).withMasterPort(8849);
        assertThat(relay.daemon(SyncState.MASTER).port()).isEqualTo(8849);
        assertThat(relay.daemon(SyncState.BACKUP).port()).isEqualTo(8848);
    }

    @Test
    void theDriverWalksAFailoverAndBackThroughTheIpvsPort() {
        InMemoryIpvs ipvs = new InMemoryIpvs();
        List<DirectorRole> told = new ArrayList<>();
        SyncDaemonDriver driver = new SyncDaemonDriver(ipvs, S, told::add);
        assertThat(driver.apply(DirectorRole.INITIALIZE)).isEmpty();
        assertThat(states(ipvs)).containsExactly(SyncState.BACKUP);
        assertThat(driver.apply(DirectorRole.MASTER)).isEmpty();
        assertThat(states(ipvs)).containsExactly(SyncState.MASTER);
        assertThat(ipvs.daemons().get(0).syncId()).isEqualTo(7);
        assertThat(ipvs.daemons().get(0).interfaceName()).isEqualTo("eth1");
        assertThat(driver.apply(DirectorRole.FAULT)).isEmpty();
        assertThat(states(ipvs)).containsExactly(SyncState.BACKUP);
        assertThat(driver.apply(DirectorRole.STOPPED)).isEmpty();
        assertThat(ipvs.daemons()).isEmpty();
        assertThat(told).containsExactly(DirectorRole.INITIALIZE, DirectorRole.MASTER, DirectorRole.FAULT, DirectorRole.STOPPED);
    }

    @Test
    void aRefusedStartIsReportedAndTheOtherCommandsStillRun() {
        InMemoryIpvs memory = new InMemoryIpvs();
        memory.startDaemon(B);
        // the kernel refuses the master daemon (e.g. ENODEV: the sync interface vanished)
        Ipvs refusingMaster = (Ipvs) Proxy.newProxyInstance(Ipvs.class.getClassLoader(), new Class<?>[] {Ipvs.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("startDaemon") && ((SyncDaemon) args[0]).state() == SyncState.MASTER) {
                        throw new IpvsException(Errno.ENODEV, IpvsOperation.START_DAEMON, "master sync daemon on eth1");
                    }
                    try {
                        return method.invoke(memory, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        SyncDaemonDriver driver = new SyncDaemonDriver(refusingMaster, S, null);
        assertThat(driver.apply(DirectorRole.MASTER)).containsExactly(START_M);
        assertThat(memory.daemons()).isEmpty();
    }

    @Test
    void aDaemonStoppedBehindTheDriversBackIsStartedAgainOnTheNextTransition() {
        InMemoryIpvs ipvs = new InMemoryIpvs();
        SyncDaemonDriver driver = new SyncDaemonDriver(ipvs, S, null);
        driver.apply(DirectorRole.BACKUP);
        ipvs.stopDaemon(SyncState.BACKUP);
        assertThat(driver.apply(DirectorRole.BACKUP)).isEmpty();
        assertThat(states(ipvs)).containsExactly(SyncState.BACKUP);
    }

    private static List<SyncState> states(InMemoryIpvs ipvs) {
        return ipvs.daemons().stream().map(SyncDaemon::state).toList();
    }
}
