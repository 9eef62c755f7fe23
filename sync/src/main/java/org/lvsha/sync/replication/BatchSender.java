package org.lvsha.sync.replication;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The only thread that calls the channel's {@code send}. Finished batches are {@link #offer offered}
 * to a bounded queue; when it is full the batch is dropped and counted, so whoever publishes — the
 * data plane's packet workers, the VRRP event thread flushing before a transition — never waits.
 *
 * <p>Why a thread of its own: JGroups flow control (UFC/MFC) blocks a sender that has run out of
 * credits until the silent peer returns its credits or leaves the view. A peer that hung, or a
 * partition, would otherwise stall packet forwarding for the failure-detection timeout (seen: a
 * 10 s stall at stop). Only this thread stalls now; the queue absorbs ~16 MB meanwhile, and beyond
 * that the events are lost to the peer — which is what a dead or cut-off peer gets anyway.
 */
final class BatchSender {
    private static final Logger LOG = LoggerFactory.getLogger(BatchSender.class);
    private static final long LOG_INTERVAL_NANOS = 10_000_000_000L;

    /** The channel (or a test). May block; only the sender thread calls it. */
    interface Transport {
        void send(byte[] batch) throws Exception;
    }

    private final String name;
    private final ArrayBlockingQueue<byte[]> queue;
    private final int capacity;
    private final Transport transport;
    private final javax.crypto.Mac sealer;
    private final SyncMetrics metrics;
    private final Thread thread;
    /** Batches accepted into the queue, and batches taken out and sent (or failed): drain waits for the second to reach the first. */
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong completed = new AtomicLong();
    private final AtomicInteger drainers = new AtomicInteger();
    private final Object drainLock = new Object();
    private final AtomicLong lastDropLog = new AtomicLong(System.nanoTime() - LOG_INTERVAL_NANOS);
    private volatile boolean stopped;

    BatchSender(String name, int capacity, Transport transport, SyncMetrics metrics) {
        this(name, capacity, null, transport, metrics);
    }

    /** With {@code sealer}: every batch has an empty authentication trailer, filled in here before it is sent. */
    BatchSender(String name, int capacity, javax.crypto.Mac sealer, Transport transport, SyncMetrics metrics) {
        this.sealer = sealer;
        this.name = name;
        this.capacity = capacity;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.transport = transport;
        this.metrics = metrics;
        this.thread = new Thread(this::run, "lvsha-sync-send-" + name);
        thread.setDaemon(true);
        thread.start();
    }

    /** Queues a finished batch; never blocks. False (and counted as dropped) when the queue is full or the sender stopped. */
    boolean offer(byte[] batch) {
        if (!stopped && queue.offer(batch)) {
            accepted.incrementAndGet();
            return true;
        }
        dropped(batch);
        return false;
    }

    /**
     * Queues a batch, waiting up to {@code timeoutNanos} for room: for threads that may wait (the
     * re-send after a merge), never for the data plane. False (and counted as dropped) on timeout.
     */
    boolean offer(byte[] batch, long timeoutNanos) throws InterruptedException {
        if (!stopped && queue.offer(batch, timeoutNanos, TimeUnit.NANOSECONDS)) {
            accepted.incrementAndGet();
            return true;
        }
        dropped(batch);
        return false;
    }

    /** Batches waiting to be sent. */
    int backlog() {
        return queue.size();
    }

    int capacity() {
        return capacity;
    }

    /**
     * Waits until every batch queued before this call has been handed to the transport, at most
     * {@code timeoutNanos}; true when it was. A peer that is alive takes them in milliseconds; one
     * that went silent makes this time out rather than hang a graceful stop.
     */
    boolean drain(long timeoutNanos) {
        long target = accepted.get();
        if (completed.get() >= target) {
            return true;
        }
        long deadline = System.nanoTime() + timeoutNanos;
        drainers.incrementAndGet();
        try {
            synchronized (drainLock) {
                while (completed.get() < target) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0 || stopped) {
                        return completed.get() >= target;
                    }
                    drainLock.wait(Math.max(1, left / 1_000_000), 0);
                }
                return true;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return completed.get() >= target;
        } finally {
            drainers.decrementAndGet();
        }
    }

    /** Stops the thread (interrupting a send that blocks); batches still queued are counted as dropped. */
    void stop(long joinNanos) {
        stopped = true;
        thread.interrupt();
        try {
            thread.join(Math.max(1, joinNanos / 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        byte[] b;
        while ((b = queue.poll()) != null) {
            dropped(b);
        }
        synchronized (drainLock) {
            drainLock.notifyAll();
        }
    }

    private void run() {
        while (!stopped) {
            byte[] batch;
            try {
                batch = queue.take();
            } catch (InterruptedException e) {
                continue; // stopped is checked by the loop
            }
            try {
                if (sealer != null) {
                    ConnectionEventCodec.seal(sealer, batch);
                }
                transport.send(batch);
                metrics.batchesSent.increment();
                metrics.eventsSent.add(ConnectionEventCodec.batchCount(batch));
                metrics.bytesSent.add(batch.length);
            } catch (Exception ex) {
                // not connected yet (joining), channel closed, or interrupted at stop
                metrics.sendFailures.increment();
            }
            completed.incrementAndGet();
            if (drainers.get() > 0) {
                synchronized (drainLock) {
                    drainLock.notifyAll();
                }
            }
        }
    }

    private void dropped(byte[] batch) {
        metrics.batchesDropped.increment();
        metrics.eventsDropped.add(ConnectionEventCodec.batchCount(batch));
        long now = System.nanoTime();
        long last = lastDropLog.get();
        if (now - last >= LOG_INTERVAL_NANOS && lastDropLog.compareAndSet(last, now)) {
            LOG.warn("sync {}: send queue full ({} batches) or sender stopped — dropped a batch; {} batches ({} events) dropped so far."
                    + " Is a peer not taking messages (flow control waits for its credits)?",
                    name, capacity, metrics.batchesDropped(), metrics.eventsDropped());
        }
    }
}
