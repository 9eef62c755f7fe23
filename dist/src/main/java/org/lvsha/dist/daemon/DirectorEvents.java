package org.lvsha.dist.daemon;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.lvsha.core.notify.JsonLinesFile;
import org.lvsha.core.notify.JsonLinesSocket;
import org.lvsha.health.event.HealthEvent;
import org.lvsha.health.event.HealthEventListener;
import org.lvsha.vrrp.notify.EventSink;
import org.lvsha.vrrp.notify.TransitionEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The director's notify stream: its VRRP transitions and its health events (server up, down, drained, in
 * maintenance, back; quorum lost and regained) as one ordered stream of JSON lines, numbered by the director,
 * to a unix socket that any number of clients read ({@code socat - UNIX-CONNECT:/run/lvsha/dir1/events.sock})
 * and, if asked, to a file.
 *
 * <p>Both sources only enqueue: one writer thread delivers, so neither the VRRP event writer nor the health
 * policy thread ever waits on a reader. The queue is bounded; a full one (a writer stuck on a full disk)
 * drops the event and counts it rather than grow without end or block a state machine.
 */
public final class DirectorEvents implements EventSink, HealthEventListener, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DirectorEvents.class);
    static final int QUEUE = 4096;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String STOP = new String("stop"); // identity-compared poison pill

    private final String node;
    private final Clock clock;
    private final JsonLinesSocket socket;
    private final JsonLinesFile file;
    private final BlockingQueue<String> queue = new ArrayBlockingQueue<>(QUEUE);
    private final Object order = new Object();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong failedWrites = new AtomicLong();
    private final Thread writer;
    private long sequence;

    private DirectorEvents(String node, Clock clock, JsonLinesSocket socket, JsonLinesFile file) {
        this.node = node;
        this.clock = clock;
        this.socket = socket;
        this.file = file;
        this.writer = new Thread(this::run, "lvsha-events");
        writer.setDaemon(true);
        writer.start();
    }

    /**
     * Opens the outputs (either may be null). A socket that cannot be bound (a path too long for a unix socket, a
     * directory not writable) is a warning and the stream goes on without it: events are a view, not a part
     * whose failure should keep a director from forwarding. A file that cannot be opened is refused, since the
     * operator asked for that one by name.
     */
    public static DirectorEvents open(String node, Path socketPath, Path filePath) throws IOException {
        JsonLinesSocket socket = null;
        if (socketPath != null) {
            try {
                socket = new JsonLinesSocket(socketPath);
            } catch (IOException | RuntimeException e) {
                LOG.warn("events socket {} not served: {}", socketPath, e.toString());
            }
        }
        JsonLinesFile file;
        try {
            file = filePath == null ? null : new JsonLinesFile(filePath);
        } catch (IOException e) {
            if (socket != null) {
                socket.close();
            }
            throw new IOException("events file " + filePath + ": " + e.getMessage(), e);
        }
        return new DirectorEvents(node, Clock.systemUTC(), socket, file);
    }

    /** A VRRP transition (this is one of the VRRP event stream's sinks). */
    @Override
    public void accept(TransitionEvent e) {
        ObjectNode o = JSON.createObjectNode();
        o.put("source", "vrrp");
        o.put("event", "TRANSITION");
        o.put("type", e.type());
        o.put("name", e.name());
        o.put("from", String.valueOf(e.from()));
        o.put("to", String.valueOf(e.to()));
        o.put("state", e.hookState());
        o.put("reason", String.valueOf(e.reason()));
        o.put("priority", e.priority());
        o.put("vrrp_seq", e.sequence());
        publish(o);
    }

    /** A health event (the health engines' listener, across reloads). */
    @Override
    public void onEvent(HealthEvent e) {
        ObjectNode o = JSON.createObjectNode();
        o.put("source", "health");
        o.put("event", e.kind().name());
        o.put("service", e.serviceId());
        if (e.realServerId() != null) {
            o.put("server", e.realServerId());
        }
        o.put("detail", e.detail());
        publish(o);
    }

    private void publish(ObjectNode body) {
        // The number and the place in the queue are taken together, so the stream's order is its numbering.
        synchronized (order) {
            ObjectNode line = JSON.createObjectNode();
            line.put("seq", sequence + 1);
            line.put("time", Instant.now(clock).toString());
            line.put("node", node);
            line.setAll(body);
            if (queue.offer(line.toString())) {
                sequence++;
            } else {
                dropped.incrementAndGet();
            }
        }
    }

    private void run() {
        try {
            while (true) {
                String line = queue.take();
                if (line == STOP) {
                    return;
                }
                write(line);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void write(String line) {
        List<IOException> errors = new ArrayList<>(0);
        if (socket != null) {
            try {
                socket.write(line);
            } catch (IOException e) {
                errors.add(e);
            }
        }
        if (file != null) {
            try {
                file.write(line);
            } catch (IOException e) {
                errors.add(e);
            }
        }
        if (!errors.isEmpty() && failedWrites.getAndIncrement() % 1000 == 0) {
            LOG.warn("events: {} (logged once per 1000 failed writes)", errors.get(0).toString());
        }
    }

    /** Events numbered so far. */
    public long published() {
        synchronized (order) {
            return sequence;
        }
    }

    /** Events dropped because the writer was that far behind. */
    public long dropped() {
        return dropped.get();
    }

    /** Where clients connect, if the socket is served. */
    public java.util.Optional<Path> socketPath() {
        return socket == null ? java.util.Optional.empty() : java.util.Optional.of(socket.path());
    }

    /** Delivers what is queued (waits at most 5 s), then closes the outputs. */
    @Override
    public void close() {
        try {
            queue.offer(STOP, 5, TimeUnit.SECONDS);
            writer.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (java.io.Closeable c : new java.io.Closeable[] {socket, file}) {
            if (c != null) {
                try {
                    c.close();
                } catch (IOException e) {
                    LOG.warn("closing events output: {}", e.toString());
                }
            }
        }
    }
}
