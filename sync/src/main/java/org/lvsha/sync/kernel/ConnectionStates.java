package org.lvsha.sync.kernel;

/**
 * Protocol state numbers exactly as the kernel enumerates them (IP_VS_TCP_S_*, IP_VS_SCTP_S_*, the
 * UDP NORMAL state and the template states; reference notes §1.7), and the validity rule a backup
 * applies: a non-template whose state is not below the protocol's state count is dropped.
 */
public final class ConnectionStates {
    public static final int IPPROTO_IP = 0;
    public static final int IPPROTO_TCP = 6;
    public static final int IPPROTO_UDP = 17;
    public static final int IPPROTO_SCTP = 132;

    public static final int TCP_NONE = 0;
    public static final int TCP_ESTABLISHED = 1;
    public static final int TCP_SYN_SENT = 2;
    public static final int TCP_SYN_RECV = 3;
    public static final int TCP_FIN_WAIT = 4;
    public static final int TCP_TIME_WAIT = 5;
    public static final int TCP_CLOSE = 6;
    public static final int TCP_CLOSE_WAIT = 7;
    public static final int TCP_LAST_ACK = 8;
    public static final int TCP_LISTEN = 9;
    public static final int TCP_SYNACK = 10;
    public static final int TCP_STATE_COUNT = 11;

    public static final int UDP_NORMAL = 0;
    public static final int UDP_STATE_COUNT = 1;

    public static final int SCTP_ESTABLISHED = 8;
    public static final int SCTP_STATE_COUNT = 14;

    public static final int TEMPLATE_NONE = 0;
    public static final int TEMPLATE_ASSURED = 1;

    private static final String[] TCP_NAMES = {"NONE", "ESTABLISHED", "SYN_SENT", "SYN_RECV", "FIN_WAIT",
        "TIME_WAIT", "CLOSE", "CLOSE_WAIT", "LAST_ACK", "LISTEN", "SYNACK"};
    private static final int[] TCP_TIMEOUTS = {2, 900, 120, 60, 120, 120, 10, 60, 30, 120, 120};

    private ConnectionStates() {
    }

    /** Number of states of a protocol, or -1 when the protocol is not synchronised. */
    public static int stateCount(int protocol) {
        return switch (protocol) {
            case IPPROTO_TCP -> TCP_STATE_COUNT;
            case IPPROTO_UDP -> UDP_STATE_COUNT;
            case IPPROTO_SCTP -> SCTP_STATE_COUNT;
            default -> -1;
        };
    }

    /** Whether a backup would accept this protocol/state pair (templates accept any state, as the kernel only logs). */
    public static boolean acceptable(int protocol, int state, boolean template) {
        if (template) {
            return true;
        }
        int n = stateCount(protocol);
        return n > 0 && state < n;
    }

    /** The default timeout in seconds of a state, used when an entry carries none (v0); 180 s for templates. */
    public static int defaultTimeoutSeconds(int protocol, int state, boolean template) {
        if (template) {
            return 180;
        }
        return switch (protocol) {
            case IPPROTO_TCP -> state < TCP_TIMEOUTS.length ? TCP_TIMEOUTS[state] : 60;
            case IPPROTO_UDP -> 300;
            case IPPROTO_SCTP -> state == SCTP_ESTABLISHED ? 900 : 61;
            default -> 60;
        };
    }

    public static String tcpName(int state) {
        return state >= 0 && state < TCP_NAMES.length ? TCP_NAMES[state] : "ERR!";
    }
}
