package org.lvsha.sync.replication;

/**
 * The readiness gate failed because the members on this segment use another sync key: this node
 * cannot join them, and becoming ready alone would serve an empty table beside a cluster that holds
 * the real one. The message names the evidence and both key fingerprints where known.
 */
public final class SyncKeyRefusedException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    public SyncKeyRefusedException(String message) {
        super(message);
    }
}
