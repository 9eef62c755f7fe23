package org.lvsha.sync.replication;

/** What happened to a connection on the node that forwards it. */
public enum ConnectionEventKind {
    /** A new connection (or one this node started forwarding). */
    CREATED(1),
    /** State, flags, destination or timeout changed. */
    CHANGED(2),
    /** The connection expired or closed: remove it. */
    EXPIRED(3);

    final int code;

    ConnectionEventKind(int code) {
        this.code = code;
    }

    static ConnectionEventKind ofCode(int code) {
        return switch (code) {
            case 1 -> CREATED;
            case 2 -> CHANGED;
            case 3 -> EXPIRED;
            default -> null;
        };
    }
}
