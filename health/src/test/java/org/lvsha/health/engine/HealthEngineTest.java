package org.lvsha.health.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lvsha.health.check.CheckTransport;
import org.lvsha.health.config.AgentCheck;
import org.lvsha.health.config.CheckTiming;
import org.lvsha.health.config.FailureAction;
import org.lvsha.health.config.RealServerHealth;
import org.lvsha.health.config.ServiceHealth;
import org.lvsha.health.config.TcpCheck;
import org.lvsha.health.event.HealthEvent;
import org.lvsha.health.policy.AdminState;
import org.lvsha.health.sink.DesiredDestination;
import org.lvsha.health.sink.DesiredDestination.Reason;
import org.lvsha.health.sink.WeightSink;
import org.lvsha.health.testing.LineServer;

/** The engine end to end on loopback: real checks, the policy, the sink only while active. */
class HealthEngineTest {
    private static final CheckTiming FAST = new CheckTiming(Duration.ofMillis(50), Duration.ofMillis(200), 1, 1,
            Duration.ofMillis(20), Duration.ofMillis(5));
    private static final String SERVICE = "tcp:203.0.113.100:80";

    private CheckTransport transport;
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private final RecordingSink sink = new RecordingSink();
    private final List<HealthEvent> events = new CopyOnWriteArrayList<>();
    @TempDir
    Path adminDir;

    static final class RecordingSink implements WeightSink {
        final List<List<DesiredDestination>> applied = new CopyOnWriteArrayList<>();
        final List<List<DesiredDestination>> resyncs = new CopyOnWriteArrayList<>();

        @Override
        public void apply(List<DesiredDestination> changed) {
            applied.add(changed);
        }

        @Override
        public void resync(List<DesiredDestination> table) {
            resyncs.add(table);
        }

        Optional<DesiredDestination> latest(String rsId) {
            DesiredDestination found = null;
            List<List<DesiredDestination>> all = new ArrayList<>(resyncs);
            for (List<DesiredDestination> batch : all) {
                for (DesiredDestination d : batch) {
                    if (d.realServerId().equals(rsId)) {
                        found = d;
                    }
                }
            }
            for (List<DesiredDestination> batch : applied) {
                for (DesiredDestination d : batch) {
                    if (d.realServerId().equals(rsId)) {
                        found = d;
                    }
                }
            }
            return Optional.ofNullable(found);
        }
    }

    @BeforeEach
    void transport() {
        transport = CheckTransport.create(1, 1);
    }

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : closeables) {
            c.close();
        }
        transport.close();
    }

    private ServerSocket listener() throws IOException {
        ServerSocket s = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread t = new Thread(() -> {
            while (!s.isClosed()) {
                try (Socket c = s.accept()) {
                    c.getInputStream().read();
                } catch (IOException e) {
                    // closed or reset: next
                }
            }
        }, "test-listener");
        t.setDaemon(true);
        t.start();
        closeables.add(s);
        return s;
    }

    private HealthEngine engine(ServiceHealth service, boolean withAdminDir) {
        HealthEngine.Builder b = HealthEngine.builder().services(List.of(service)).transport(transport).sink(sink).listener(events::add);
        if (withAdminDir) {
            b.adminDirectory(adminDir, Duration.ofMillis(50));
        }
        HealthEngine e = b.build();
        closeables.add(0, e);
        return e;
    }

    private static ServiceHealth service(RealServerHealth... servers) {
        return new ServiceHealth(SERVICE, FailureAction.inhibit, FAST, null, null, null, null, List.of(servers));
    }

    private void awaitLatest(String rsId, int weight, Reason reason) {
        Awaitility.await().atMost(10, TimeUnit.SECONDS).until(() -> sink.latest(rsId)
                .filter(d -> d.weight() == weight && d.reason() == reason).isPresent());
    }

    @Test
    void aBackupComputesTheTableButSendsNothingUntilItBecomesActive() throws Exception {
        ServerSocket up = listener();
        RealServerHealth rs = RealServerHealth.of("127.0.0.1", up.getLocalPort(), 10, new TcpCheck(null, null));
        HealthEngine e = engine(service(rs), false);
        e.start();
        Awaitility.await().atMost(10, TimeUnit.SECONDS).until(() -> e.desiredTable().join().get(0).weight() == 10);
        assertThat(sink.applied).isEmpty();
        assertThat(sink.resyncs).isEmpty();
        e.setActive(true).join();
        assertThat(sink.resyncs).singleElement().satisfies(t -> assertThat(t).singleElement()
                .extracting(DesiredDestination::weight, DesiredDestination::reason).containsExactly(10, Reason.HEALTHY));
        e.setActive(false).join();
        int batches = sink.applied.size();
        up.close();
        Awaitility.await().atMost(10, TimeUnit.SECONDS).until(() -> e.desiredTable().join().get(0).reason() == Reason.CHECK_FAILED);
        assertThat(sink.applied).hasSize(batches);
    }

    @Test
    void isActiveAnswersWithTheLastRequestEvenBeforeThePolicyLoopHasAppliedIt() throws Exception {
        ServerSocket up = listener();
        RealServerHealth rs = RealServerHealth.of("127.0.0.1", up.getLocalPort(), 10, new TcpCheck(null, null));
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.atomic.AtomicInteger resyncs = new java.util.concurrent.atomic.AtomicInteger();
        // A sink that holds the policy loop in its first resync, as a slow netlink call or a starved thread would.
        WeightSink slow = new WeightSink() {
            @Override
            public void apply(List<DesiredDestination> changed) {
                sink.apply(changed);
            }

            @Override
            public void resync(List<DesiredDestination> table) {
                if (resyncs.getAndIncrement() == 0) {
                    try {
                        release.await(10, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                sink.resync(table);
            }
        };
        HealthEngine e = HealthEngine.builder().services(List.of(service(rs))).transport(transport).sink(slow).listener(events::add).build();
        closeables.add(0, e);
        e.start();
        var first = e.setActive(true); // master: the loop is now held in the resync
        // A VRRP flap while the loop is busy: master -> backup -> master. Each transition decides on isActive().
        var down = e.setActive(false);
        assertThat(e.isActive()).as("backup asked for, not yet applied").isFalse();
        var back = e.setActive(true);
        assertThat(e.isActive()).as("master asked for again").isTrue();
        release.countDown();
        java.util.concurrent.CompletableFuture.allOf(first, down, back).get(10, TimeUnit.SECONDS);
        assertThat(e.isActive()).isTrue();
        assertThat(resyncs.get()).as("becoming active twice sends the table twice").isEqualTo(2);
        // Still driving the table: a failure reaches the sink.
        up.close();
        awaitLatest(rs.id(), 0, Reason.CHECK_FAILED);
    }

    @Test
    void aStoppedServerIsInhibitedAndComesBackWhenItReturns() throws Exception {
        ServerSocket s = listener();
        int port = s.getLocalPort();
        RealServerHealth rs = RealServerHealth.of("127.0.0.1", port, 10, new TcpCheck(null, null));
        HealthEngine e = engine(service(rs), false);
        e.setActive(true).join();
        e.start();
        awaitLatest(rs.id(), 10, Reason.HEALTHY);
        s.close();
        awaitLatest(rs.id(), 0, Reason.CHECK_FAILED);
        assertThat(events).extracting(HealthEvent::kind).contains(HealthEvent.Kind.SERVER_DOWN);
        ServerSocket again = new ServerSocket();
        again.setReuseAddress(true);
        again.bind(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
        closeables.add(again);
        awaitLatest(rs.id(), 10, Reason.HEALTHY);
        assertThat(e.counters().failuresByReason()).containsKey(org.lvsha.health.check.FailureReason.CONNECT_REFUSED);
    }

    @Test
    void aServerIsUpOnlyWhenAllItsChecksAre() throws Exception {
        ServerSocket a = listener();
        ServerSocket b = listener();
        RealServerHealth rs = new RealServerHealth(null, "127.0.0.1", a.getLocalPort(), 10, null,
                List.of(new TcpCheck(null, null), new TcpCheck(b.getLocalPort(), null)));
        HealthEngine e = engine(service(rs), false);
        e.setActive(true).join();
        e.start();
        awaitLatest(rs.id(), 10, Reason.HEALTHY);
        b.close();
        awaitLatest(rs.id(), 0, Reason.CHECK_FAILED);
    }

    @Test
    void theAgentSetsTheWeightAndCanDrainTheServer() throws Exception {
        ServerSocket s = listener();
        try (LineServer agent = new LineServer("50%\n")) {
            RealServerHealth rs = new RealServerHealth(null, "127.0.0.1", s.getLocalPort(), 10, null,
                    List.of(new TcpCheck(null, null), new AgentCheck(agent.port(), null, null, null)));
            HealthEngine e = engine(service(rs), false);
            e.setActive(true).join();
            e.start();
            awaitLatest(rs.id(), 5, Reason.DYNAMIC_WEIGHT);
            agent.reply("drain\n");
            awaitLatest(rs.id(), 0, Reason.DRAIN);
            agent.reply("ready 100%\n");
            awaitLatest(rs.id(), 10, Reason.DYNAMIC_WEIGHT);
        }
    }

    @Test
    void filesInTheAdminDirectoryDrainAndMaintainWithoutAReload() throws Exception {
        ServerSocket s = listener();
        RealServerHealth rs = RealServerHealth.of("127.0.0.1", s.getLocalPort(), 10, new TcpCheck(null, null));
        HealthEngine e = engine(service(rs), true);
        e.setActive(true).join();
        e.start();
        awaitLatest(rs.id(), 10, Reason.HEALTHY);
        Path file = adminDir.resolve(SERVICE).resolve(rs.id());
        Files.createDirectories(file.getParent());
        Files.writeString(file, "drain\n");
        awaitLatest(rs.id(), 0, Reason.DRAIN);
        Files.writeString(file, "");
        Awaitility.await().atMost(10, TimeUnit.SECONDS).until(() -> sink.latest(rs.id()).filter(d -> !d.present()).isPresent());
        Files.delete(file);
        awaitLatest(rs.id(), 10, Reason.HEALTHY);
        assertThat(events).extracting(HealthEvent::kind)
                .containsSubsequence(HealthEvent.Kind.SERVER_DRAINED, HealthEvent.Kind.SERVER_MAINTENANCE, HealthEvent.Kind.SERVER_READY);
    }

    @Test
    void anOperatorCanPutAServerInMaintenanceAndBack() throws Exception {
        ServerSocket s = listener();
        RealServerHealth rs = RealServerHealth.of("127.0.0.1", s.getLocalPort(), 10, new TcpCheck(null, null));
        HealthEngine e = engine(service(rs), false);
        e.setActive(true).join();
        e.start();
        awaitLatest(rs.id(), 10, Reason.HEALTHY);
        e.setAdminState(SERVICE, rs.id(), AdminState.MAINTENANCE).join();
        assertThat(sink.latest(rs.id()).orElseThrow().present()).isFalse();
        e.setAdminState(SERVICE, rs.id(), AdminState.NORMAL).join();
        assertThat(sink.latest(rs.id()).orElseThrow()).extracting(DesiredDestination::present, DesiredDestination::weight)
                .containsExactly(true, 10);
    }

    @Test
    void aRecoveredServerRampsUpOnTheEnginesTimer() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        RealServerHealth rs = RealServerHealth.of("127.0.0.1", port, 10, new TcpCheck(null, null));
        ServiceHealth slow = new ServiceHealth(SERVICE, FailureAction.inhibit, FAST, Duration.ofMillis(400), 4, null, null, List.of(rs));
        HealthEngine e = engine(slow, false);
        e.setActive(true).join();
        e.start();
        awaitLatest(rs.id(), 0, Reason.CHECK_FAILED);
        ServerSocket back = new ServerSocket();
        back.setReuseAddress(true);
        back.bind(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
        closeables.add(back);
        awaitLatest(rs.id(), 10, Reason.HEALTHY);
        List<Integer> ramp = new ArrayList<>();
        for (List<DesiredDestination> batch : sink.applied) {
            for (DesiredDestination d : batch) {
                if (d.reason() == Reason.SLOW_START) {
                    ramp.add(d.weight());
                }
            }
        }
        assertThat(ramp).isNotEmpty().isSorted().allSatisfy(w -> assertThat(w).isBetween(1, 9));
        assertThat(ramp.get(0)).isEqualTo(2);
    }

    @Test
    void losingQuorumSwitchesToTheSorryServer() throws Exception {
        ServerSocket a = listener();
        ServerSocket b = listener();
        RealServerHealth rs1 = RealServerHealth.of("127.0.0.1", a.getLocalPort(), 10, new TcpCheck(null, null));
        RealServerHealth rs2 = RealServerHealth.of("127.0.0.1", b.getLocalPort(), 10, new TcpCheck(null, null));
        RealServerHealth sorry = RealServerHealth.of("127.0.0.2", 80, 1);
        ServiceHealth q = new ServiceHealth(SERVICE, FailureAction.inhibit, FAST, null, null,
                new org.lvsha.health.config.Quorum(20, 15), sorry, List.of(rs1, rs2));
        HealthEngine e = engine(q, false);
        e.setActive(true).join();
        e.start();
        awaitLatest(rs2.id(), 10, Reason.HEALTHY);
        assertThat(e.quorumHeld(SERVICE).join()).isTrue();
        b.close();
        awaitLatest(sorry.id(), 1, Reason.SORRY_SERVER_ACTIVE);
        assertThat(sink.latest(rs1.id()).orElseThrow().reason()).isEqualTo(Reason.QUORUM_LOST);
        assertThat(events).extracting(HealthEvent::kind).contains(HealthEvent.Kind.QUORUM_LOST);
    }

    @Test
    void aReloadStartsFromTheOldVerdictsSoNoServerDipsToZero() throws Exception {
        ServerSocket s = listener();
        RealServerHealth rs = RealServerHealth.of("127.0.0.1", s.getLocalPort(), 10, new TcpCheck(null, null));
        HealthEngine old = engine(service(rs), false);
        old.setActive(true).join();
        old.start();
        awaitLatest(rs.id(), 10, Reason.HEALTHY);
        var state = old.state().join();
        old.close();
        RecordingSink fresh = new RecordingSink();
        HealthEngine next = HealthEngine.builder().services(List.of(service(rs))).transport(transport).sink(fresh)
                .carryFrom(state).build();
        closeables.add(0, next);
        next.setActive(true).join();
        next.start();
        assertThat(fresh.resyncs).singleElement().satisfies(t -> assertThat(t).singleElement()
                .extracting(DesiredDestination::weight, DesiredDestination::reason).containsExactly(10, Reason.HEALTHY));
    }

    @Test
    void aDrainFileRemovedDuringAReloadStillReturnsTheServer() throws Exception {
        ServerSocket s = listener();
        RealServerHealth rs = RealServerHealth.of("127.0.0.1", s.getLocalPort(), 10, new TcpCheck(null, null));
        HealthEngine old = engine(service(rs), true);
        old.setActive(true).join();
        old.start();
        awaitLatest(rs.id(), 10, Reason.HEALTHY);
        Path file = adminDir.resolve(SERVICE).resolve(rs.id());
        Files.createDirectories(file.getParent());
        Files.writeString(file, "drain");
        awaitLatest(rs.id(), 0, Reason.DRAIN);
        var state = old.state().join();
        old.close();
        Files.delete(file);
        HealthEngine next = HealthEngine.builder().services(List.of(service(rs))).transport(transport).sink(sink)
                .adminDirectory(adminDir, Duration.ofMillis(50)).carryFrom(state).build();
        closeables.add(0, next);
        next.setActive(true).join();
        next.start();
        awaitLatest(rs.id(), 10, Reason.HEALTHY);
    }
}
