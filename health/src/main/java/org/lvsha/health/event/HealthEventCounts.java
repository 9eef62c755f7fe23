package org.lvsha.health.event;

import java.util.concurrent.atomic.AtomicLongArray;

/** Events counted by kind, for metrics; one instance can outlive the engines a reload replaces. */
public final class HealthEventCounts implements HealthEventListener {
    private final AtomicLongArray counts = new AtomicLongArray(HealthEvent.Kind.values().length);

    @Override
    public void onEvent(HealthEvent event) {
        counts.incrementAndGet(event.kind().ordinal());
    }

    public long count(HealthEvent.Kind kind) {
        return counts.get(kind.ordinal());
    }
}
