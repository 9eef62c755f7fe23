package org.lvsha.dist.drill;

/** What happened on a long-lived connection; the breaking kinds end its survival. */
public enum StreamEvent {
    /** TCP connection established. */
    CONNECTED(false),
    /** Could not establish the connection at the start of the run (it never took part). */
    CONNECT_FAILED(false),
    /** A line came back as sent, from the same real server as before. */
    ECHO(false),
    /** No echo within the stall threshold. */
    STALL(true),
    /** An echo arrived after a stall had been declared (the connection still counts as broken). */
    RESUMED(false),
    /** The echo named a different real server than before: the connection was moved, its state lost. */
    SERVER_CHANGED(true),
    /** The echo did not carry the line that was sent. */
    BAD_ECHO(true),
    /** The peer reset the connection. */
    RESET(true),
    /** The peer closed the connection. */
    CLOSED(true),
    /** The drill closed the connection at the end of the run (survived if nothing broke it before). */
    FINISHED(false);

    private static final StreamEvent[] VALUES = values();
    private final boolean breaks;

    StreamEvent(boolean breaks) {
        this.breaks = breaks;
    }

    /** Whether this event counts the connection as broken. */
    public boolean breaks() {
        return breaks;
    }

    static StreamEvent of(int ordinal) {
        return VALUES[ordinal];
    }
}
