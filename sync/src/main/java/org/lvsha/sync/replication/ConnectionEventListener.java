package org.lvsha.sync.replication;

import org.lvsha.sync.store.ConnectionEntry;

/**
 * Told about every event applied from another member (not about this node's own publications), on
 * the receiving thread, after the replica store applied it. For adapters that mirror the replica
 * into a data plane: the kernel relay re-injects them as kernel sync messages. The entry is a
 * reused cursor: copy what you keep.
 */
@FunctionalInterface
public interface ConnectionEventListener {
    void onRemoteEvent(ConnectionEventKind kind, ConnectionEntry entry);

    /** After the last event of a received batch: a moment to send what the events queued. */
    default void onBatchEnd() {
    }
}
