package org.lvsha.dist.drill;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.lvsha.dist.lab.AddressPlan;
import org.lvsha.dist.lab.AddressPlan.Net;

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

    private LabScenarios() {
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
            case "linkdown" -> new LinkDown(pair);
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
        LinkDown(LabDirectorPair pair) {
            super(pair);
        }

        @Override
        public String name() {
            return "linkdown";
        }

        @Override
        public String triggerDescription() {
            return "ip link set eth0 down on dir" + currentMaster();
        }

        /** Tracking puts the master in FAULT (priority 0 on the link still up): bounded by the master-down interval at worst. */
        @Override
        public Expectation expectation() {
            return masterDown().expectation(TOLERANCE);
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

    /** Real server {@code rsINDEX} is killed (SIGKILL) and restarted; health checking takes it out and back. */
    static final class RealServerFailure extends OnMaster {
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
         * Detection by the health checks: interval x fall + timeout (the generated configuration's 300 ms x 2 + 500 ms).
         * With round robin the other servers keep answering, so the outages are short; what detection bounds is how
         * many requests the dead server gets: its share of the rate for that long. The long-lived connections the dead
         * server held cannot survive it.
         */
        @Override
        public Expectation expectation() {
            Duration detection = Duration.ofMillis(1100);
            int servers = pair.lab().topology().lab().realServers();
            int share = (int) Math.ceil(rate * detection.toMillis() / 1000.0 / servers);
            return new Expectation("health-check detection (300 ms x 2 + 500 ms)", detection, Duration.ofMillis(10), share, false);
        }

        @Override
        public void trigger(DrillContext context) {
            pair.lab().killRealServer(index);
        }

        @Override
        public void recover(DrillContext context) {
            pair.lab().startRealServer(index);
            pair.lab().awaitRealServers(List.of("rs" + index), LabDirectorPair.SETTLE);
            awaitWhole(context);
        }
    }
}
