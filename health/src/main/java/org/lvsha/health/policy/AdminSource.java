package org.lvsha.health.policy;

/** Who set an administrative state; each source is kept separately and the most restrictive one wins. */
public enum AdminSource {
    /** The admin API or the {@code lvsha} command. */
    OPERATOR,
    /** A file in the admin-state directory. */
    FILE,
    /** The real server's own agent ({@code drain}, {@code maint}, {@code ready}). */
    AGENT
}
