package org.lvsha.core.ipvs.sched;

/**
 * lblc (ip_vs_lblc.c): per destination IP a cached server, kept while it is available, has weight &gt; 0 and
 * is not "overloaded" in lblc's sense (active &gt; weight while some destination has 2 × active &lt; weight);
 * otherwise re-chosen by wlc and cached. Entries idle for 24 h are collected, after 6 min when the cache holds
 * more than 16 × 1024 entries; the check runs at most once a minute (§4, kernel check_expire).
 */
public final class LocalityBasedLeastConnectionScheduler implements Scheduler {

    static final long EXPIRATION_MILLIS = 24L * 3600 * 1000;
    static final long CROWDED_EXPIRATION_MILLIS = 6L * 60 * 1000;
    static final int MAX_ENTRIES = 16 * 1024;
    static final long CHECK_INTERVAL_MILLIS = 60_000;

    private final DestinationRenumbering renumbering = new DestinationRenumbering();
    private LocalityCache cache = new LocalityCache(0);
    private long lastCheck = Long.MIN_VALUE;

    @Override
    public String name() {
        return "lblc";
    }

    @Override
    public void destinationsChanged(DestinationTable table) {
        cache.renumber(renumbering.update(table), table.size());
    }

    int cachedEntries() {
        return cache.size();
    }

    /** The lblc/lblcr overload test (§4). */
    static boolean overloadedForLocality(DestinationTable table, int dest) {
        if (table.activeConns(dest) > table.weight(dest)) {
            for (int i = 0; i < table.size(); i++) {
                if ((long) table.activeConns(i) * 2 < table.weight(i)) {
                    return true;
                }
            }
        }
        return false;
    }

    @Override
    public int select(DestinationTable table, FlowKey flow) {
        long now = flow.nowMillis();
        if (lastCheck == Long.MIN_VALUE || now - lastCheck >= CHECK_INTERVAL_MILLIS) {
            lastCheck = now;
            cache.expire(now - EXPIRATION_MILLIS, MAX_ENTRIES, now - CROWDED_EXPIRATION_MILLIS);
        }
        long h = flow.destinationHigh();
        long l = flow.destinationLow();
        int slot = cache.find(h, l);
        if (slot >= 0) {
            cache.touch(slot, now);
            int d = cache.destination(slot);
            if (d >= 0 && d < table.size() && !table.overloaded(d) && table.weight(d) > 0
                    && !overloadedForLocality(table, d)) {
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
        cache.setDestination(slot, d);
        return d;
    }
}
