package org.lvsha.sync.kernel.daemon;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.lvsha.core.ipvs.SyncDaemon;
import org.lvsha.core.ipvs.SyncState;

/**
 * Which kernel sync daemons should run for a director role, and what to do to get there from the ones that
 * run: a pure function (role, running daemons, settings) → commands, so every transition is a table row in
 * a test and the executor ({@link SyncDaemonDriver}) only carries the commands out.
 *
 * <p>The roles follow keepalived's {@code lvs_sync_daemon} handling, checked against its sources (2.x: vrrp.c,
 * vrrp_daemon.c, ipvswrapper.c): becoming master stops the backup daemon and starts the master daemon; leaving
 * master, for backup or fault, stops the master daemon and starts the backup daemon; at start-up the daemons a
 * crashed run left are stopped and the backup daemon runs; on shutdown the running one is stopped. Two
 * differences, both deliberate: on a reload keepalived stops and restarts the current daemon whenever the sync
 * settings changed, where this plan restarts only a daemon whose parameters differ (an unchanged daemon keeps
 * its socket and sends nothing twice); and keepalived's instance-less mode, which starts both daemons once at
 * start-up, is {@code backupWhileMaster} here, for the master role only.
 * <pre>
 *   INITIALIZE, BACKUP, FAULT → backup only
 *   MASTER                    → master (+ backup if backupWhileMaster)
 *   STOPPED                   → none
 * </pre>
 * A FAULT director keeps receiving: it has no addresses, but when it recovers and wins it needs the table.
 *
 * <p>A daemon that runs with other parameters than the settings (a reload changed the interface, syncid,
 * port...) is stopped and started again; one that runs as wanted is left alone, so repeating a role is a
 * no-op. Stops come before starts: the kernel keeps one daemon per state (EEXIST on a second, §2.3).
 */
public final class SyncDaemonPlan {
    private SyncDaemonPlan() {
    }

    /** The daemon states wanted in {@code role}. */
    public static Set<SyncState> wanted(DirectorRole role, SyncDaemonSettings s) {
        return switch (role) {
            case INITIALIZE, BACKUP, FAULT -> EnumSet.of(SyncState.BACKUP);
            case MASTER -> s.backupWhileMaster() ? EnumSet.of(SyncState.MASTER, SyncState.BACKUP) : EnumSet.of(SyncState.MASTER);
            case STOPPED -> EnumSet.noneOf(SyncState.class);
        };
    }

    /** Commands taking the kernel from {@code running} (as {@code Ipvs.daemons()} reports them) to {@code role}. */
    public static List<DaemonCommand> plan(DirectorRole role, List<SyncDaemon> running, SyncDaemonSettings s) {
        Set<SyncState> want = wanted(role, s);
        List<DaemonCommand> stops = new ArrayList<>(2);
        List<DaemonCommand> starts = new ArrayList<>(2);
        for (SyncState state : SyncState.values()) {
            SyncDaemon current = find(running, state);
            if (!want.contains(state)) {
                if (current != null) {
                    stops.add(new DaemonCommand.Stop(state));
                }
                continue;
            }
            SyncDaemon desired = s.daemon(state);
            if (current != null && matches(current, desired)) {
                continue;
            }
            if (current != null) {
                stops.add(new DaemonCommand.Stop(state));
            }
            starts.add(new DaemonCommand.Start(desired));
        }
        stops.addAll(starts);
        return stops;
    }

    private static SyncDaemon find(List<SyncDaemon> running, SyncState state) {
        for (SyncDaemon d : running) {
            if (d.state() == state) {
                return d;
            }
        }
        return null;
    }

    /**
     * True when the running daemon is the desired one. A field left 0/null in the settings means "the kernel
     * chose" and matches whatever the kernel reports (GET_DAEMON returns the defaults it applied, §2.3).
     */
    static boolean matches(SyncDaemon running, SyncDaemon desired) {
        return running.interfaceName().equals(desired.interfaceName())
                && running.syncId() == desired.syncId()
                && (desired.maxLen() == 0 || running.maxLen() == desired.maxLen())
                && (desired.port() == 0 || running.port() == desired.port())
                && (desired.ttl() == 0 || running.ttl() == desired.ttl())
                && (desired.group() == null || desired.group().equals(running.group()));
    }
}
