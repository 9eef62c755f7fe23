package org.lvsha.core.dataplane;

/**
 * A worker's counters (Agrona style: plain longs written by the owning worker only, read racily by the control
 * thread for listings and metrics; 64-bit JVMs write longs atomically). Per-service and per-destination
 * statistics are indexed by id × {@link #STATS}: conns, in packets, out packets, in bytes, out bytes (§2.3).
 */
public final class WorkerCounters {
    public static final int STATS = 5;

    /** Events other than {@link BadFrame}s, by ordinal. */
    public enum Event {
        RECEIVED, FORWARDED, REPLIES_FORWARDED, NOT_A_SERVICE, NO_CONNECTION, NO_DESTINATION, DESTINATION_DELETED,
        NO_NEIGHBOUR, TABLE_FULL, SEND_FAILED,
        /** Frames addressed to another host's MAC (PACKET_OTHERHOST: flooded by a switch) or sent by this host. */
        NOT_FOR_THIS_HOST,
        /** Frames the kernel dropped for want of a free ring slot (PACKET_STATISTICS tp_drops). */
        RING_DROPS
    }

    final long[] events = new long[Event.values().length];
    final long[] bad = new long[BadFrame.values().length];
    final long[] serviceStats = new long[ForwardingTable.MAX_SERVICES * STATS];
    final long[] destinationStats = new long[ForwardingTable.MAX_DESTINATIONS * STATS];

    public long event(Event e) {
        return events[e.ordinal()];
    }

    public long bad(BadFrame b) {
        return bad[b.ordinal()];
    }
}
