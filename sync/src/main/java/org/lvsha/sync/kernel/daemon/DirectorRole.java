package org.lvsha.sync.kernel.daemon;

/**
 * What the VRRP instance that owns the sync daemons says about this director: the input of
 * {@link SyncDaemonPlan}. {@code INITIALIZE} is start-up (before the first election), {@code STOPPED}
 * a shutdown of the director.
 */
public enum DirectorRole {
    INITIALIZE, BACKUP, MASTER, FAULT, STOPPED
}
