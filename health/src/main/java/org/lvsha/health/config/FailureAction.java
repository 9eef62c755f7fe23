package org.lvsha.health.config;

/** What a failed real server becomes in the table. Lower case so YAML reads {@code onFailure: inhibit}. */
public enum FailureAction {
    /** Kept with weight 0: no new connections, established ones finish (keepalived's inhibit_on_failure). */
    inhibit,
    /** Deleted from the service: established connections lose their destination. */
    remove
}
