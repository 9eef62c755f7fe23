package org.lvsha.sync.replication;

/** Why a replication batch, an event in it, or a state stream was not applied. */
public enum SyncRejection {
    /** Shorter than a batch header. */
    TRUNCATED,
    /** Not an lvsha sync batch. */
    BAD_MAGIC,
    UNSUPPORTED_VERSION,
    /** A batch of another cluster's sync id reached this channel. */
    SYNC_ID_MISMATCH,
    /** The batch's authentication code does not verify with our key. */
    BAD_MAC,
    /** A record runs past the batch or has an unknown kind/family. */
    BAD_RECORD,
    /** The header's record count disagrees with the records present. */
    COUNT_MISMATCH,
    /** A message the encryption layer dropped: the sender used another key. */
    WRONG_KEY,
    /** One event refused because the replica store is full. */
    STORE_FULL,
    /** A state stream that did not verify or parse; the node stays not ready. */
    BAD_STATE,
    /** Batches that arrived during state transfer beyond the holding queue's bound (the join starts over). */
    HOLD_QUEUE_OVERFLOW
}
