package org.lvsha.dist.drill;

/** How one short-request attempt ended. Only {@link #OK} means the VIP worked for it. */
public enum RequestOutcome {
    /** HTTP 200. */
    OK,
    /** An HTTP answer other than 200 (the path through the VIP worked, the service did not). */
    HTTP_ERROR,
    /** No answer within the per-request timeout (connect or response). */
    TIMEOUT,
    /** The connection was refused (RST to the SYN: nothing listens, or a director/host rejected it). */
    REFUSED,
    /** The connection was reset or closed before a complete answer. */
    RESET,
    /** ICMP unreachable / no route. */
    UNREACHABLE,
    /** Any other local error. */
    ERROR;

    private static final RequestOutcome[] VALUES = values();

    public boolean ok() {
        return this == OK;
    }

    static RequestOutcome of(int ordinal) {
        return VALUES[ordinal];
    }
}
