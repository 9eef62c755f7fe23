package org.lvsha.core.ipvs.sched;

/**
 * lblcr (ip_vs_lblcr.c): per destination IP a set of servers. The member with the least overhead/weight serves;
 * if it is overloaded (lblc's test), a wlc pick over all destinations joins the set and serves. A set with more
 * than one member that was not modified for 24 h loses its most loaded member. Cache expiry as lblc (§4).
 *
 * <p>Set members are visited in destination-list order (the kernel keeps them in insertion order), which only
 * matters for ties.
 */
public final class LocalityBasedLeastConnectionReplicationScheduler implements Scheduler {

    static final long SET_EXPIRATION_MILLIS = 24L * 3600 * 1000;

    private final DestinationRenumbering renumbering = new DestinationRenumbering();
    private LocalityCache cache = new LocalityCache(0);
    private long lastCheck = Long.MIN_VALUE;

    @Override
    public String name() {
        return "lblcr";
    }

    @Override
    public void destinationsChanged(DestinationTable table) {
        cache.renumber(renumbering.update(table), table.size());
    }

    int memberCount(FlowKey flow) {
        int slot = cache.find(flow.destinationHigh(), flow.destinationLow());
        return slot < 0 ? 0 : cache.memberCount(slot);
    }

    /** ip_vs_dest_set_min: the least overhead/weight among available members. */
    private int setMin(DestinationTable table, int slot) {
        int least = NO_DESTINATION;
        long loh = 0;
        for (int d = cache.nextMember(slot, 0); d >= 0 && d < table.size(); d = cache.nextMember(slot, d + 1)) {
            if (!table.available(d)) {
                continue;
            }
            long doh = table.overhead(d);
            if (least == NO_DESTINATION || loh * table.weight(d) > doh * table.weight(least)) {
                least = d;
                loh = doh;
            }
        }
        return least;
    }

    /** ip_vs_dest_set_max: the greatest overhead/weight among members with weight &gt; 0. */
    private int setMax(DestinationTable table, int slot) {
        int most = NO_DESTINATION;
        long moh = 0;
        for (int d = cache.nextMember(slot, 0); d >= 0 && d < table.size(); d = cache.nextMember(slot, d + 1)) {
            if (table.weight(d) <= 0) {
                continue;
            }
            long doh = table.overhead(d);
            if (most == NO_DESTINATION || moh * table.weight(d) < doh * table.weight(most)) {
                most = d;
                moh = doh;
            }
        }
        return most;
    }

    @Override
    public int select(DestinationTable table, FlowKey flow) {
        long now = flow.nowMillis();
        if (lastCheck == Long.MIN_VALUE || now - lastCheck >= LocalityBasedLeastConnectionScheduler.CHECK_INTERVAL_MILLIS) {
            lastCheck = now;
            cache.expire(now - LocalityBasedLeastConnectionScheduler.EXPIRATION_MILLIS,
                    LocalityBasedLeastConnectionScheduler.MAX_ENTRIES,
                    now - LocalityBasedLeastConnectionScheduler.CROWDED_EXPIRATION_MILLIS);
        }
        long h = flow.destinationHigh();
        long l = flow.destinationLow();
        int slot = cache.find(h, l);
        if (slot >= 0) {
            cache.touch(slot, now);
            int d = setMin(table, slot);
            if (cache.memberCount(slot) > 1 && now - cache.lastModified(slot) > SET_EXPIRATION_MILLIS) {
                int most = setMax(table, slot);
                if (most >= 0) {
                    cache.removeMember(slot, most, now);
                }
            }
            if (d >= 0 && !LocalityBasedLeastConnectionScheduler.overloadedForLocality(table, d)) {
                return d;
            }
        }
        int d = WeightedLeastConnectionScheduler.leastWeightedOverhead(table);
        if (d == NO_DESTINATION) {
            return NO_DESTINATION;
        }
        if (slot < 0) {
            slot = cache.insert(h, l, now);
        }
        if (!cache.isMember(slot, d)) {
            cache.addMember(slot, d, now);
        }
        return d;
    }
}
