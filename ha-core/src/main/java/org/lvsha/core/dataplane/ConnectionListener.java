package org.lvsha.core.dataplane;

/**
 * Connection-table events, delivered on the thread that owns the table (a packet worker, or the caller holding
 * the template table's lock) while the entry is still readable: read what you need from {@code table} with
 * {@code id} inside the call and do not keep {@code id} (it is reused after {@link #expired}). Implementations
 * must not block and should not allocate per call (connection sync copies the fields into its own batch).
 */
public interface ConnectionListener {

    /** A connection or template was created (scheduled, or inserted from outside). */
    default void created(ConnectionTable table, int id) {
    }

    /** The protocol state changed (e.g. SYN_RECV → ESTABLISHED). */
    default void stateChanged(ConnectionTable table, int id, int previousState) {
    }

    /**
     * Packets kept the entry alive for more than half its timeout without any other event: a copy kept
     * elsewhere should hear of it again (see {@link ConnectionTable#touch}).
     */
    default void refreshed(ConnectionTable table, int id) {
    }

    /** The entry timed out or was removed; it is freed when this returns. */
    default void expired(ConnectionTable table, int id) {
    }

    ConnectionListener NONE = new ConnectionListener() {
    };

    /** Both listeners, {@code first} first. */
    static ConnectionListener both(ConnectionListener first, ConnectionListener second) {
        if (second == NONE) {
            return first;
        }
        return new ConnectionListener() {
            @Override
            public void created(ConnectionTable table, int id) {
                first.created(table, id);
                second.created(table, id);
            }

            @Override
            public void stateChanged(ConnectionTable table, int id, int previousState) {
                first.stateChanged(table, id, previousState);
                second.stateChanged(table, id, previousState);
            }

            @Override
            public void refreshed(ConnectionTable table, int id) {
                first.refreshed(table, id);
                second.refreshed(table, id);
            }

            @Override
            public void expired(ConnectionTable table, int id) {
                first.expired(table, id);
                second.expired(table, id);
            }
        };
    }
}
