package org.lvsha.health.check;

/** What a real server's agent asked for about its own administrative state. */
public enum AgentAdmin {
    /** {@code up} or {@code ready}: clears an earlier drain or maint from the agent. */
    READY,
    DRAIN,
    MAINT
}
