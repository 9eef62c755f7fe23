package org.lvsha.health.check;

/** Why a probe failed; counted per reason. */
public enum FailureReason {
    CONNECT_REFUSED,
    TIMEOUT,
    CONNECT_ERROR,
    CLOSED_EARLY,
    WRONG_STATUS,
    WRONG_BODY,
    BODY_TOO_LARGE,
    TLS_ERROR,
    PROTOCOL_ERROR,
    PORT_UNREACHABLE,
    WRONG_REPLY,
    WRONG_RCODE,
    WRONG_ANSWER,
    EXIT_CODE,
    AGENT_DOWN,
    /** The checker itself threw: a bug or a bad configuration, still only a failed probe. */
    CHECKER_ERROR
}
