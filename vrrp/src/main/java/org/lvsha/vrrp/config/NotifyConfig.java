package org.lvsha.vrrp.config;

/**
 * Hook scripts run on transitions. {@code any} gets keepalived's arguments {@code TYPE NAME STATE PRIORITY}
 * (TYPE is INSTANCE or GROUP, STATE is MASTER, BACKUP, FAULT or STOP); the per-state ones run with no
 * arguments. Each may be null.
 */
public record NotifyConfig(String any, String onMaster, String onBackup, String onFault, String onStop) {
    public static final NotifyConfig NONE = new NotifyConfig(null, null, null, null, null);
}
