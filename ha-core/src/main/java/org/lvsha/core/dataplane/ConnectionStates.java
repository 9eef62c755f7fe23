package org.lvsha.core.dataplane;

import org.lvsha.core.ipvs.Timeouts;

/**
 * IPVS connection states and their timeouts (reference notes §1.7; kernel {@code ip_vs_proto_tcp.c}).
 *
 * <p>TCP transitions follow the kernel's {@code tcp_states} table: the packet's flags pick a row (RST over SYN
 * over FIN over ACK, {@code tcp_state_idx}), the direction picks the block: INPUT (client → real server when
 * replies are seen too, NAT), OUTPUT (real server → client, NAT replies) and INPUT_ONLY (connections whose replies
 * bypass the director, {@code IP_VS_CONN_F_NOOUTPUT}: DR and TUN). A packet with none of these flags keeps the state.
 */
public final class ConnectionStates {
    public static final int NONE = 0;
    public static final int ESTABLISHED = 1;
    public static final int SYN_SENT = 2;
    public static final int SYN_RECV = 3;
    public static final int FIN_WAIT = 4;
    public static final int TIME_WAIT = 5;
    public static final int CLOSE = 6;
    public static final int CLOSE_WAIT = 7;
    public static final int LAST_ACK = 8;
    public static final int LISTEN = 9;
    public static final int SYNACK = 10;
    public static final int TCP_STATE_COUNT = 11;

    /** UDP's single state (§1.7: "UDP", 300 s). */
    public static final int UDP_NORMAL = 0;
    /** Persistence templates: IP_VS_CTPL_S_NONE. */
    public static final int TEMPLATE_NONE = 0;

    public static final int DIR_INPUT = 0;
    public static final int DIR_OUTPUT = 1;
    public static final int DIR_INPUT_ONLY = 2;

    /**
     * Port reuse (kernel {@code conn_reuse_mode}, a bitmap): bit 1 reschedules a new SYN that finds an entry in
     * TIME_WAIT or CLOSE; bit 2 also one that finds FIN_WAIT on an entry whose replies bypass the director (DR,
     * TUN), since FIN_WAIT is the last state such an entry ever reaches (INPUT_ONLY: ES + FIN → FW, and FW stays
     * FW until it times out). The kernel's default is 1; the userspace data plane's is {@link #REUSE_DEFAULT}.
     */
    public static final int REUSE_TIME_WAIT_CLOSE = 1;
    public static final int REUSE_FIN_WAIT_INPUT_ONLY = 2;
    /**
     * Bits 1 and 2. With the kernel's 1, a DR client that reuses a source port within the FIN_WAIT timeout (2 min)
     * is sent to the real server of its previous connection whatever its weight, a dead one included: the drill's
     * real-server failure showed requests refused by the killed server seconds after health checks had set it to
     * weight 0. A SYN never belongs to a connection the client has half-closed, so rescheduling it is safe.
     */
    public static final int REUSE_DEFAULT = REUSE_TIME_WAIT_CLOSE | REUSE_FIN_WAIT_INPUT_ONLY;

    /**
     * Kernel {@code is_new_conn_expected}: whether a new TCP SYN (SYN without ACK or RST) that found the entry of
     * an earlier connection on the same addresses and ports starts a new connection, scheduled afresh, instead of
     * going on to the old entry's real server. Never for an entry a persistence template controls (the template
     * keeps the client with its server anyway), and never with mode 0; bit 2 alone implies bit 1, as in the kernel.
     */
    public static boolean synStartsNewConnection(int state, boolean inputOnly, boolean controlled, int reuseMode) {
        if (controlled || reuseMode == 0) {
            return false;
        }
        return state == TIME_WAIT || state == CLOSE
                || (reuseMode & REUSE_FIN_WAIT_INPUT_ONLY) != 0 && state == FIN_WAIT && inputOnly;
    }

    private static final String[] TCP_NAMES = {"NONE", "ESTABLISHED", "SYN_SENT", "SYN_RECV", "FIN_WAIT",
            "TIME_WAIT", "CLOSE", "CLOSE_WAIT", "LAST_ACK", "LISTEN", "SYNACK"};

    /** Default timeouts in seconds, indexed by TCP state (§1.7). */
    private static final int[] TCP_DEFAULT_SECONDS = {2, 900, 120, 60, 120, 120, 10, 60, 30, 120, 120};

    private static final int S_NO = NONE, S_ES = ESTABLISHED, S_SS = SYN_SENT, S_SR = SYN_RECV, S_FW = FIN_WAIT,
            S_TW = TIME_WAIT, S_CL = CLOSE, S_CW = CLOSE_WAIT, S_LA = LAST_ACK, S_LI = LISTEN, S_SA = SYNACK;

    /**
     * [direction][flag row: syn, fin, ack, rst][current state] → next state. Columns in state order
     * NONE, ESTABLISHED, SYN_SENT, SYN_RECV, FIN_WAIT, TIME_WAIT, CLOSE, CLOSE_WAIT, LAST_ACK, LISTEN, SYNACK.
     */
    private static final int[][][] TCP = {
            { // INPUT
                    {S_SR, S_ES, S_ES, S_SR, S_SR, S_SR, S_SR, S_SR, S_SR, S_SR, S_SR},
                    {S_CL, S_CW, S_SS, S_TW, S_TW, S_TW, S_CL, S_CW, S_LA, S_LI, S_TW},
                    {S_ES, S_ES, S_SS, S_ES, S_FW, S_TW, S_CL, S_CW, S_CL, S_LI, S_ES},
                    {S_CL, S_CL, S_CL, S_SR, S_CL, S_CL, S_CL, S_CL, S_LA, S_LI, S_SR},
            },
            { // OUTPUT
                    {S_SS, S_ES, S_SS, S_SR, S_SS, S_SS, S_SS, S_SS, S_SS, S_LI, S_SR},
                    {S_TW, S_FW, S_SS, S_TW, S_FW, S_TW, S_CL, S_TW, S_LA, S_LI, S_TW},
                    {S_ES, S_ES, S_SS, S_ES, S_FW, S_TW, S_CL, S_CW, S_LA, S_ES, S_ES},
                    {S_CL, S_CL, S_SS, S_CL, S_CL, S_TW, S_CL, S_CL, S_CL, S_CL, S_CL},
            },
            { // INPUT_ONLY
                    {S_SR, S_ES, S_ES, S_SR, S_SR, S_SR, S_SR, S_SR, S_SR, S_SR, S_SR},
                    {S_CL, S_FW, S_SS, S_TW, S_FW, S_TW, S_CL, S_CW, S_LA, S_LI, S_TW},
                    {S_ES, S_ES, S_SS, S_ES, S_FW, S_TW, S_CL, S_CW, S_CL, S_LI, S_ES},
                    {S_CL, S_CL, S_CL, S_SR, S_CL, S_CL, S_CL, S_CL, S_LA, S_LI, S_CL},
            },
    };

    private ConnectionStates() {
    }

    /** The next TCP state for a packet with {@code flags} seen in {@code direction}. */
    public static int nextTcpState(int state, int direction, int flags) {
        int row;
        if ((flags & Ipv4Frame.TCP_RST) != 0) {
            row = 3;
        } else if ((flags & Ipv4Frame.TCP_SYN) != 0) {
            row = 0;
        } else if ((flags & Ipv4Frame.TCP_FIN) != 0) {
            row = 1;
        } else if ((flags & Ipv4Frame.TCP_ACK) != 0) {
            row = 2;
        } else {
            return state;
        }
        return TCP[direction][row][state];
    }

    /** Whether the kernel counts a TCP connection in this state as active (ActiveConn): only ESTABLISHED. */
    public static boolean tcpActive(int state) {
        return state == ESTABLISHED;
    }

    public static String tcpName(int state) {
        return state >= 0 && state < TCP_STATE_COUNT ? TCP_NAMES[state] : "ERR!";
    }

    /**
     * Per-state timeouts in milliseconds for TCP (index by state) with {@code --set tcp tcpfin udp} applied:
     * ipvsadm's three values are the kernel's timeout_table[ESTABLISHED], [FIN_WAIT] and udp[NORMAL] (§4).
     */
    public static int[] tcpTimeoutsMillis(Timeouts t) {
        int[] out = new int[TCP_STATE_COUNT];
        for (int s = 0; s < TCP_STATE_COUNT; s++) {
            out[s] = TCP_DEFAULT_SECONDS[s] * 1000;
        }
        out[ESTABLISHED] = t.tcp() * 1000;
        out[FIN_WAIT] = t.tcpFin() * 1000;
        return out;
    }
}
