package org.lvsha.health.policy;

/** Administrative state of a real server, set by an operator, a file, or the server's agent. */
public enum AdminState {
    NORMAL,
    /** Weight 0, kept in the table: established connections finish, no new ones. */
    DRAIN,
    /** Out of the table; on return it ramps up again like a recovered server. */
    MAINTENANCE;

    /** The more restrictive of two states. */
    public AdminState max(AdminState other) {
        return other.ordinal() > ordinal() ? other : this;
    }
}
