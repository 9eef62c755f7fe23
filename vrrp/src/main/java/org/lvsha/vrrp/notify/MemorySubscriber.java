package org.lvsha.vrrp.notify;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** An in-memory sink and listener: records every event, for tests and the status API. */
public final class MemorySubscriber implements EventSink, TransitionListener {
    private final BlockingQueue<TransitionEvent> events = new LinkedBlockingQueue<>();
    private final List<TransitionEvent> all = new ArrayList<>();

    @Override
    public void accept(TransitionEvent event) {
        synchronized (all) {
            all.add(event);
        }
        events.add(event);
    }

    @Override
    public void onTransition(TransitionEvent event) {
        accept(event);
    }

    /** Everything seen so far, in order. */
    public List<TransitionEvent> events() {
        synchronized (all) {
            return List.copyOf(all);
        }
    }

    /** Takes the next event not taken yet, or null after the timeout. */
    public TransitionEvent next(Duration timeout) throws InterruptedException {
        return events.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }
}
