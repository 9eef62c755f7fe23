package org.lvsha.dist.drill;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Collects {@link TimelineEvent}s from any thread (director observers, the scenario) for one drill
 * run. Bounded: beyond {@link #MAX_EVENTS} events are counted as dropped instead of kept.
 */
public final class Timeline {
    public static final int MAX_EVENTS = 100_000;
    private final List<TimelineEvent> events = new ArrayList<>();
    private int dropped;

    public synchronized void record(TimelineEvent e) {
        if (events.size() >= MAX_EVENTS) {
            dropped++;
            return;
        }
        events.add(e);
    }

    /** Records a marker stamped now. */
    public void mark(String label) {
        record(new TimelineEvent.Marker(System.nanoTime(), label));
    }

    /** The events in time order. */
    public synchronized List<TimelineEvent> events() {
        List<TimelineEvent> copy = new ArrayList<>(events);
        copy.sort(Comparator.comparingLong(TimelineEvent::atNanos));
        return copy;
    }

    public synchronized int dropped() {
        return dropped;
    }
}
