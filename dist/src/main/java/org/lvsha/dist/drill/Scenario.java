package org.lvsha.dist.drill;

import java.util.List;

/**
 * One drill scenario (switchover, crash, link down, partition, real-server failure...): how to get
 * the system ready, cause the event and undo it. {@link DrillRun} calls {@link #prepare} before the
 * traffic starts, {@link #trigger} after the lead-in and {@link #recover} after the hold time; each
 * must be bounded in time and throw with a reason a person can act on when it cannot do its step.
 * Scenarios hold what they act on (a {@code RunningLab}, director processes) themselves.
 */
public interface Scenario {
    /** Short name, the row label of the report (e.g. {@code crash}). */
    String name();

    /** What the trigger does, for the timeline marker (e.g. {@code kill -9 dir1}). */
    String triggerDescription();

    /** What to judge the result against. */
    Expectation expectation();

    /** The VRRP instance whose master holds the VIP (LAB.md: 51). */
    default int vipVrid() {
        return 51;
    }

    /** Watches the directors during the run; none by default. */
    default List<DirectorObserver> observers() {
        return List.of();
    }

    /**
     * False when the event happens outside the drill (an operator acts on a real deployment): the
     * run then neither triggers nor recovers, it lets the traffic run its whole duration.
     */
    default boolean triggersItself() {
        return true;
    }

    void prepare(DrillContext context) throws Exception;

    void trigger(DrillContext context) throws Exception;

    void recover(DrillContext context) throws Exception;
}
