package org.lvsha.vrrp.notify;

import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers transitions to sinks (hook scripts, unix socket, file, memory) from ONE writer thread, in the
 * order the node produced them, so no consumer ever sees them reordered; the node thread only enqueues.
 * A sink that throws is logged and keeps receiving later events.
 */
public final class EventStream implements TransitionListener, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EventStream.class);
    private static final TransitionEvent POISON = new TransitionEvent(-1, 0, "", "", null, null, null, 0);
    private final BlockingQueue<TransitionEvent> queue = new LinkedBlockingQueue<>();
    private final List<EventSink> sinks;
    private final Thread writer;
    private static final long LOG_EVERY_NANOS = 10_000_000_000L;
    private final long[] failures;
    private final long[] lastLogged;

    public EventStream(List<EventSink> sinks) {
        this.sinks = List.copyOf(sinks);
        this.failures = new long[this.sinks.size()];
        this.lastLogged = new long[this.sinks.size()];
        this.writer = new Thread(this::run, "vrrp-events");
        this.writer.setDaemon(true);
        this.writer.start();
    }

    @Override
    public void onTransition(TransitionEvent event) {
        queue.add(event);
    }

    private void run() {
        try {
            while (true) {
                TransitionEvent e = queue.take();
                if (e == POISON) {
                    return;
                }
                for (int k = 0; k < sinks.size(); k++) {
                    EventSink s = sinks.get(k);
                    try {
                        s.accept(e);
                    } catch (Exception ex) {
                        // Rate-limited per sink: a sink that fails on every event must not turn a burst of
                        // transitions into a burst of log lines (and slow delivery to the other sinks).
                        failures[k]++;
                        long now = System.nanoTime();
                        if (lastLogged[k] == 0 || now - lastLogged[k] >= LOG_EVERY_NANOS) {
                            lastLogged[k] = now;
                            LOG.warn("event sink {} failed on event {}: {} ({} failures so far; logged at most every 10 s)",
                                    s, e.sequence(), ex.toString(), failures[k]);
                        }
                    }
                }
            }
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
        }
    }

    /** Delivers what is queued, then stops the writer (waits at most 10 s). */
    @Override
    public void close() {
        queue.add(POISON);
        try {
            writer.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (EventSink s : sinks) {
            if (s instanceof AutoCloseable c) {
                try {
                    c.close();
                } catch (Exception e) {
                    LOG.warn("closing sink {}: {}", s, e.toString());
                }
            }
        }
    }
}
