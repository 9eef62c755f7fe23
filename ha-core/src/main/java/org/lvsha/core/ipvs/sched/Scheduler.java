package org.lvsha.core.ipvs.sched;

/**
 * A job scheduler of one virtual service, with the kernel's semantics (§4). One instance per service, owned
 * by one thread (the data plane's): {@link #select} runs per new connection and must not allocate.
 */
public interface Scheduler {

    /** Returned by {@link #select} when no destination can take the connection. */
    int NO_DESTINATION = -1;

    /** The ipvsadm name, e.g. {@code wlc}. */
    String name();

    /**
     * The destination list or a weight changed (kernel {@code add_dest}/{@code del_dest}/{@code upd_dest}):
     * rebuild hash tables and reset round-robin state. May allocate.
     */
    void destinationsChanged(DestinationTable table);

    /** The index of the destination for a new connection of {@code flow}, or {@link #NO_DESTINATION}. */
    int select(DestinationTable table, FlowKey flow);
}
