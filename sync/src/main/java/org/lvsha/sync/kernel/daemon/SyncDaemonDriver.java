package org.lvsha.sync.kernel.daemon;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.lvsha.core.ipvs.Errno;
import org.lvsha.core.ipvs.Ipvs;
import org.lvsha.core.ipvs.IpvsException;
import org.lvsha.core.ipvs.SyncState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out {@link SyncDaemonPlan} through the {@link Ipvs} port on every role change of the VRRP instance
 * that owns the sync daemons. It reads what runs ({@code daemons()}) each time instead of remembering, so a
 * daemon stopped behind its back (an operator's {@code ipvsadm --stop-daemon}) is started again on the next
 * transition. A failed command is logged with the kernel's errno and the daemon, and the others still run
 * (a failed master start must not keep the backup daemon from stopping). One caller at a time.
 */
public final class SyncDaemonDriver {
    private static final Logger LOG = LoggerFactory.getLogger(SyncDaemonDriver.class);

    private final Ipvs ipvs;
    private volatile SyncDaemonSettings settings;
    private final Consumer<DirectorRole> afterTransition;

    /**
     * @param afterTransition told after the commands ran (e.g. the kernel relay re-injects the replica into a
     *                        backup daemon that just started); may be null
     */
    public SyncDaemonDriver(Ipvs ipvs, SyncDaemonSettings settings, Consumer<DirectorRole> afterTransition) {
        this.ipvs = ipvs;
        this.settings = settings;
        this.afterTransition = afterTransition;
    }

    /** Replaces the settings (a reload); they apply at the next {@link #apply}. */
    public void settings(SyncDaemonSettings s) {
        this.settings = s;
    }

    /** Brings the daemons in line with {@code role}; returns the commands that failed (empty: all done). */
    public synchronized List<DaemonCommand> apply(DirectorRole role) {
        List<DaemonCommand> commands = SyncDaemonPlan.plan(role, ipvs.daemons(), settings);
        List<DaemonCommand> failed = new ArrayList<>();
        for (DaemonCommand c : commands) {
            try {
                if (c instanceof DaemonCommand.Start s) {
                    ipvs.startDaemon(s.daemon());
                } else if (c instanceof DaemonCommand.Stop s) {
                    ipvs.stopDaemon(s.state());
                }
                LOG.info("sync daemons ({}): {}", role, c);
            } catch (IpvsException e) {
                if (harmless(c, e)) {
                    continue;
                }
                failed.add(c);
                LOG.error("sync daemons ({}): {} failed: {}", role, c, e.getMessage());
            } catch (RuntimeException e) {
                failed.add(c);
                LOG.error("sync daemons ({}): {} failed: {}", role, c, e.toString());
            }
        }
        if (afterTransition != null) {
            try {
                afterTransition.accept(role);
            } catch (RuntimeException e) {
                LOG.error("sync daemons ({}): after-transition hook failed: {}", role, e.toString());
            }
        }
        return failed;
    }

    /** ESRCH on a stop (gone meanwhile) is what we wanted; anything else is reported. */
    private static boolean harmless(DaemonCommand c, IpvsException e) {
        return c instanceof DaemonCommand.Stop && e.errno() == Errno.ESRCH.number();
    }

    /** Convenience for status pages. */
    public boolean runs(SyncState state) {
        return ipvs.daemons().stream().anyMatch(d -> d.state() == state);
    }
}
