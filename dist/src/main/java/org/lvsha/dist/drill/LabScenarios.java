package org.lvsha.dist.drill;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.lvsha.core.lab.Shell;
import org.lvsha.dist.config.DaemonConfig;
import org.lvsha.dist.config.DaemonConfigLoader;
import org.lvsha.dist.lab.AddressPlan;
import org.lvsha.dist.lab.AddressPlan.Net;
import org.lvsha.dist.vrrp.VrrpRuntime;
import org.lvsha.health.config.CheckTiming;
import org.lvsha.health.config.RealServerHealth;
import org.lvsha.health.config.ServiceHealth;
import org.lvsha.health.schedule.CheckDelays;

/**
 * The scenarios of a lab drill ({@code lvsha drill --lab}) on a {@link LabDirectorPair}. Each acts on whichever
 * director is master when it starts (earlier scenarios move mastership), and its recover step waits, bounded,
 * until the pair is whole again (one master, one backup), so the next scenario starts from a working pair.
 * Director-side events come from the daemons' status files ({@link StatusFileObserver}) and from the kernel's
 * address changes ({@link AddressMonitorObserver}).
 */
public final class LabScenarios {
    /** Excess over a protocol bound still judged as within it (SPEC: within 5 ms of the master-down interval). */
    public static final Duration TOLERANCE = Duration.ofMillis(5);
    public static final List<String> NAMES = List.of("switchover", "crash", "linkdown", "partition", "rsfail");
    /** nft table of the partition scenario: its own name, so it never touches the data plane's table. */
    static final String PARTITION_TABLE = "lvsha_drill_partition";
    private static final ObjectMapper STATUS_JSON = new ObjectMapper();

    private LabScenarios() {
    }

    /** One request period of the client (1/rate): the resolution of every gap it measures. */
    static Duration requestPeriod(int rate) {
        return Duration.ofNanos(1_000_000_000L / Math.max(1, rate));
    }

    /** {@code all} or one name of {@link #NAMES}, or several separated by commas. */
    /** {@code rate}: the traffic's requests per second (a real-server failure's bound counts requests). */
    public static List<Scenario> parse(String spec, LabDirectorPair pair, int rate) {
        List<Scenario> list = new ArrayList<>();
        for (String name : spec.equals("all") ? NAMES : List.of(spec.split(","))) {
            list.add(of(name.strip(), pair, rate));
        }
        return list;
    }

    public static Scenario of(String name, LabDirectorPair pair, int rate) {
        return switch (name) {
            case "switchover" -> new Switchover(pair);
            case "crash" -> new Crash(pair);
            case "linkdown" -> new LinkDown(pair, rate);
            case "partition" -> new Partition(pair);
            case "rsfail" -> new RealServerFailure(pair, 1, rate);
            default -> throw new IllegalArgumentException("unknown scenario '" + name + "'; one of " + String.join(", ", NAMES) + ", all");
        };
    }

    /** What every pair scenario shares: the master it acts on, the observers, the sync-lag sample at the trigger. */
    abstract static class OnMaster implements Scenario {
        final LabDirectorPair pair;
        int master;

        OnMaster(LabDirectorPair pair) {
            this.pair = pair;
        }

        @Override
        public List<DirectorObserver> observers() {
            return List.of(StatusFileObserver.forPair(pair), AddressMonitorObserver.forLab(pair.lab().topology()));
        }

        @Override
        public void prepare(DrillContext context) {
            master = pair.awaitWhole(name() + ": a whole pair to start from");
            context.say("%s: dir%d is master", name(), master);
        }

        /**
         * The master right now. {@link DrillRun} asks for the trigger's description just before the trigger, after the
         * traffic's start (a JVM start): on a loaded machine mastership can move in between (a late advert looks like
         * a dead master), and the scenario must act on the director that is master when it acts.
         */
        int currentMaster() {
            int m = pair.master();
            if (m == 0) {
                m = pair.awaitWhole(name() + ": a master to act on");
            }
            master = m;
            return m;
        }

        int backup() {
            return 3 - master;
        }

        MasterDownInterval masterDown() {
            return new MasterDownInterval(pair.config().advertInterval(), PairConfig.backupPriority(master == 0 ? 1 : master));
        }

        /** The takeover candidate's replication lag just before the event (what it may miss of the master's last events). */
        void sampleSyncLag(DrillContext context) {
            if (!pair.config().sync()) {
                return;
            }
            long lag = pair.syncLagNanos(backup());
            if (lag >= 0) {
                context.timeline().record(new TimelineEvent.SyncLag(System.nanoTime(), "dir" + backup(), lag));
            }
        }

        void awaitWhole(DrillContext context) {
            int m = pair.awaitWhole(name() + ": the pair whole again");
            context.timeline().mark("pair whole: dir" + m + " master");
        }
    }

    /** Planned switchover: {@code lvsha failover} on the master; make-before-break, so no request should fail. */
    static final class Switchover extends OnMaster {
        Switchover(LabDirectorPair pair) {
            super(pair);
        }

        @Override
        public String name() {
            return "switchover";
        }

        @Override
        public String triggerDescription() {
            return "failover on dir" + currentMaster();
        }

        /**
         * Zero failures, and the gap (if any) next to the new master's skew time, the protocol's part of a handover.
         * The VIP may sit on both directors for up to one advert interval: the old master lets go when it hears the
         * new one's first advert.
         */
        @Override
        public Expectation expectation() {
            MasterDownInterval m = masterDown();
            return new Expectation(String.format(Locale.ROOT, "skew time (priority %d)", m.backupPriority()), m.skewTime(),
                    TOLERANCE, 0, true, pair.config().advertInterval());
        }

        @Override
        public void trigger(DrillContext context) {
            sampleSyncLag(context);
            pair.failover(master);
            context.timeline().mark("failover accepted");
        }

        @Override
        public void recover(DrillContext context) {
            awaitWhole(context);
        }
    }

    /** Master crash: SIGKILL of the master's daemon; recover restarts it (it rejoins as backup). */
    static final class Crash extends OnMaster {
        Crash(LabDirectorPair pair) {
            super(pair);
        }

        @Override
        public String name() {
            return "crash";
        }

        @Override
        public String triggerDescription() {
            return "kill -9 dir" + currentMaster();
        }

        /**
         * The gap next to the master-down interval. A SIGKILLed daemon cannot remove its VIP: the kernel of its host keeps
         * it until the restarted daemon clears it at start (RFC 5798 6.4.1), so the VIP sits on both directors until the
         * recover step; that overlap is reported, not judged (the new master's gratuitous ARP is what moves the clients).
         */
        @Override
        public Expectation expectation() {
            Expectation e = masterDown().expectation(TOLERANCE);
            return new Expectation(e.boundName(), e.bound(), e.tolerance(), e.maxFailedRequests(), e.longLivedMustSurvive(),
                    LabDirectorPair.SETTLE.multipliedBy(2));
        }

        @Override
        public void trigger(DrillContext context) {
            sampleSyncLag(context);
            context.timeline().mark("SIGKILL dir" + master);
            pair.kill(master);
        }

        @Override
        public void recover(DrillContext context) {
            context.say("crash: restarting dir%d", master);
            pair.restart(master);
            awaitWhole(context);
        }
    }

    /** The master's outside link goes down ({@code ip link set eth0 down} in its namespace), then up again. */
    static final class LinkDown extends OnMaster {
        private final int rate;

        LinkDown(LabDirectorPair pair, int rate) {
            super(pair);
            this.rate = rate;
        }

        @Override
        public String name() {
            return "linkdown";
        }

        @Override
        public String triggerDescription() {
            return "ip link set eth0 down on dir" + currentMaster();
        }

        /**
         * The master's outside link goes down; its group's priority 0 reaches the backup on the inside link only
         * ({@link MasterDownInterval#syncGroupTakeover}): much less than the master-down interval a lone instance
         * would wait. The tolerance adds one request period to the protocol's 5 ms: the bound runs from the link
         * going down to the takeover, the gap from the first failed attempt to the first one after the takeover,
         * which starts up to one period later.
         */
        @Override
        public Expectation expectation() {
            MasterDownInterval m = masterDown();
            return Expectation.gapWithin(m.describeSyncGroupTakeover(VrrpRuntime.LINK_POLL_INTERVAL),
                    m.syncGroupTakeover(VrrpRuntime.LINK_POLL_INTERVAL), TOLERANCE.plus(requestPeriod(rate)));
        }

        @Override
        public void trigger(DrillContext context) {
            sampleSyncLag(context);
            pair.exec(master, "ip", "link", "set", "eth0", "down");
        }

        @Override
        public void recover(DrillContext context) {
            pair.exec(master, "ip", "link", "set", "eth0", "up");
            awaitWhole(context);
        }
    }

    /**
     * Network partition between the directors: each drops VRRP (IP protocol 112) from the other in its own nft table,
     * so the backup stops hearing adverts and becomes master too; clients still reach both. Healing removes the
     * tables and the RFC's master-vs-master rule leaves one master. Connection sync keeps flowing (it is not VRRP).
     * Informational: two masters is the point of this drill, not a failure of it.
     */
    static final class Partition extends OnMaster {
        Partition(LabDirectorPair pair) {
            super(pair);
        }

        @Override
        public String name() {
            return "partition";
        }

        @Override
        public String triggerDescription() {
            return "drop VRRP between dir1 and dir2";
        }

        @Override
        public Expectation expectation() {
            return Expectation.NONE;
        }

        @Override
        public void trigger(DrillContext context) {
            sampleSyncLag(context);
            for (int d = 1; d <= 2; d++) {
                int peer = AddressPlan.director(3 - d);
                String script = String.format(Locale.ROOT, """
                        table inet %1$s {
                          chain input {
                            type filter hook input priority -300; policy accept;
                            ip saddr { %2$s, %3$s } ip protocol 112 drop
                          }
                        }
                        """, PARTITION_TABLE, Net.OUTSIDE.v4(peer), Net.INSIDE.v4(peer));
                pair.exec(d, "nft", "-f", pair.writeFile("partition-dir" + d + ".nft", script).toString());
            }
        }

        @Override
        public void recover(DrillContext context) {
            for (int d = 1; d <= 2; d++) {
                pair.exec(d, "nft", "delete", "table", "inet", PARTITION_TABLE);
            }
            awaitWhole(context);
        }
    }

    /**
     * Real server {@code rsINDEX} is killed (SIGKILL) and restarted; health checking takes it out and back. The trigger
     * also watches the master's table (its admin {@code /status}) until the dead server's weight is 0 and marks that
     * moment on the timeline, so the report shows how long the data plane kept sending it new connections.
     */
    static final class RealServerFailure extends OnMaster {
        /** How long the trigger watches for the weight to reach 0 before it gives up (and the report shows no marker). */
        static final Duration WATCH = Duration.ofSeconds(10);
        private final int index;
        private final int rate;

        RealServerFailure(LabDirectorPair pair, int index, int rate) {
            super(pair);
            this.index = index;
            this.rate = rate;
        }

        @Override
        public String name() {
            return "rsfail";
        }

        @Override
        public String triggerDescription() {
            return "kill -9 rs" + index;
        }

        /**
         * A killed server refuses every new connection (its kernel answers RST) until health checking sets its weight to
         * 0. With round robin it gets 1/N of the new connections, so the failed requests are bounded by its share of the
         * rate for the detection time; the client-visible gaps stay short, as the other servers keep answering. The
         * detection bound is the one {@link CheckDelays} guarantees for the check the director runs — interval x fall +
         * timeout, plus fall x jitter, since every delay may be moved by the jitter — read from the configuration the
         * pair runs, so it follows that configuration. (Before, a fixed 1100 ms left out the jitter: the generated
         * configuration sets none, so the default 100 ms applies, and the bound was 200 ms too short.) The long-lived
         * connections the dead server held cannot survive it and are reported apart; every other one must survive
         * (inhibit keeps the table's entries, the directors do not fail over).
         */
        @Override
        public Expectation expectation() {
            CheckTiming t = webCheckTiming();
            Duration detection = t.detectionBound().plus(t.jitter().multipliedBy(t.fall()));
            int servers = pair.lab().topology().lab().realServers();
            int share = (int) Math.ceil(rate * (detection.toNanos() / 1e9) / servers);
            String name = String.format(Locale.ROOT, "health-check detection (%d ms x %d + %d ms + %d x %d ms jitter)",
                    t.interval().toMillis(), t.fall(), t.timeout().toMillis(), t.fall(), t.jitter().toMillis());
            return new Expectation(name, detection, requestPeriod(rate), share, true).withFailedServer("rs" + index);
        }

        /** Timing of the dead server's check in the web service, as the master's generated configuration has it. */
        private CheckTiming webCheckTiming() {
            int dir = master == 0 ? 1 : master;
            DaemonConfig config = DaemonConfigLoader.parse("dir" + dir + ".yaml", pair.config().yaml(dir));
            String service = "tcp:" + AddressPlan.VIP4 + ":" + AddressPlan.HTTP_PORT;
            String server = AddressPlan.rip4(index) + ":" + AddressPlan.HTTP_PORT;
            for (ServiceHealth h : config.healthServices()) {
                if (h.id().equals(service)) {
                    for (RealServerHealth rs : h.realServers()) {
                        if (rs.id().equals(server) && !rs.checks().isEmpty()) {
                            return h.timingOf(rs.checks().get(0));
                        }
                    }
                }
            }
            throw new IllegalStateException("the pair's configuration has no checked real server " + server + " in " + service);
        }

        @Override
        public void trigger(DrillContext context) {
            int dir = master;
            long killed = System.nanoTime();
            pair.lab().killRealServer(index);
            long zero = awaitWeightZero(dir, killed + WATCH.toNanos());
            if (zero > 0) {
                context.timeline().mark("dir" + dir + ": rs" + index + " weight 0");
                context.say("rsfail: rs%d at weight 0 in dir%d's table %d ms after the kill", index, dir, (zero - killed) / 1_000_000);
            } else {
                context.say("rsfail: rs%d not at weight 0 in dir%d's table within %s of the kill", index, dir, WATCH);
            }
        }

        /** Polls the director's {@code /status} until the dead server's web weight is 0; the time seen, or 0 at the deadline. */
        private long awaitWeightZero(int dir, long deadline) {
            String server = AddressPlan.rip4(index) + ":" + AddressPlan.HTTP_PORT;
            while (System.nanoTime() < deadline) {
                Shell.Result r = pair.lab().netns().tryExec(pair.namespace(dir), Duration.ofSeconds(3), "curl", "-s", "-m", "1",
                        "http://127.0.0.1:" + PairConfig.ADMIN_PORT + "/status");
                if (r.ok() && weightOf(r.stdout(), server) == 0) {
                    return System.nanoTime();
                }
                try {
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return 0;
                }
            }
            return 0;
        }

        /** The weight of {@code server} in the web service of a {@code /status} document, or -1. */
        static int weightOf(String statusJson, String server) {
            try {
                String service = "tcp:" + AddressPlan.VIP4 + ":" + AddressPlan.HTTP_PORT;
                for (JsonNode svc : STATUS_JSON.readTree(statusJson).path("table")) {
                    if (svc.path("service").asText().equals(service)) {
                        for (JsonNode rs : svc.path("real_servers")) {
                            if (rs.path("server").asText().equals(server)) {
                                return rs.path("weight").asInt(-1);
                            }
                        }
                    }
                }
            } catch (java.io.IOException e) {
                return -1;
            }
            return -1;
        }

        @Override
        public void recover(DrillContext context) {
            pair.lab().startRealServer(index);
            pair.lab().awaitRealServers(List.of("rs" + index), LabDirectorPair.SETTLE);
            awaitWhole(context);
        }
    }
}
