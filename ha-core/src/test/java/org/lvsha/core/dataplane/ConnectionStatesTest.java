package org.lvsha.core.dataplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.lvsha.core.dataplane.ConnectionStates.*;
import static org.lvsha.core.dataplane.Ipv4Frame.*;

import org.junit.jupiter.api.Test;
import org.lvsha.core.ipvs.Timeouts;

class ConnectionStatesTest {

    @Test
    void natHandshakeDataAndCloseFollowTheKernelTable() {
        int s = nextTcpState(NONE, DIR_INPUT, TCP_SYN);
        assertThat(tcpName(s)).isEqualTo("SYN_RECV");
        s = nextTcpState(s, DIR_OUTPUT, TCP_SYN | TCP_ACK);
        assertThat(tcpName(s)).isEqualTo("SYN_RECV");
        s = nextTcpState(s, DIR_INPUT, TCP_ACK);
        assertThat(tcpName(s)).isEqualTo("ESTABLISHED");
        s = nextTcpState(s, DIR_INPUT, TCP_FIN | TCP_ACK);
        assertThat(tcpName(s)).isEqualTo("CLOSE_WAIT");
        s = nextTcpState(s, DIR_OUTPUT, TCP_FIN | TCP_ACK);
        assertThat(tcpName(s)).isEqualTo("TIME_WAIT");
    }

    @Test
    void serverClosingFirstGoesThroughFinWait() {
        int s = nextTcpState(ESTABLISHED, DIR_OUTPUT, TCP_FIN | TCP_ACK);
        assertThat(tcpName(s)).isEqualTo("FIN_WAIT");
        assertThat(tcpName(nextTcpState(s, DIR_INPUT, TCP_FIN | TCP_ACK))).isEqualTo("TIME_WAIT");
    }

    @Test
    void directRoutingSeesOnlyTheClientSide() {
        int s = nextTcpState(NONE, DIR_INPUT_ONLY, TCP_SYN);
        assertThat(tcpName(s)).isEqualTo("SYN_RECV");
        s = nextTcpState(s, DIR_INPUT_ONLY, TCP_ACK);
        assertThat(tcpName(s)).isEqualTo("ESTABLISHED");
        // INPUT_ONLY: a client FIN means FIN_WAIT (the INPUT table would say CLOSE_WAIT).
        assertThat(tcpName(nextTcpState(s, DIR_INPUT_ONLY, TCP_FIN | TCP_ACK))).isEqualTo("FIN_WAIT");
        assertThat(tcpName(nextTcpState(s, DIR_INPUT_ONLY, TCP_RST))).isEqualTo("CLOSE");
    }

    @Test
    void rstOutranksSynAndNoFlagsKeepTheState() {
        assertThat(nextTcpState(ESTABLISHED, DIR_INPUT, TCP_RST | TCP_SYN)).isEqualTo(CLOSE);
        assertThat(nextTcpState(ESTABLISHED, DIR_INPUT, 0)).isEqualTo(ESTABLISHED);
        assertThat(nextTcpState(SYN_RECV, DIR_INPUT, TCP_RST)).isEqualTo(SYN_RECV);
    }

    @Test
    void onlyEstablishedCountsAsActive() {
        for (int s = 0; s < TCP_STATE_COUNT; s++) {
            assertThat(tcpActive(s)).isEqualTo(s == ESTABLISHED);
        }
    }

    @Test
    void setTimeoutsChangeEstablishedAndFinWaitOnlyOthersKeepTheKernelDefaults() {
        int[] t = tcpTimeoutsMillis(new Timeouts(30, 7, 5));
        assertThat(t[ESTABLISHED]).isEqualTo(30_000);
        assertThat(t[FIN_WAIT]).isEqualTo(7_000);
        assertThat(t[SYN_RECV]).isEqualTo(60_000);
        assertThat(t[TIME_WAIT]).isEqualTo(120_000);
        assertThat(t[CLOSE]).isEqualTo(10_000);
        assertThat(t[CLOSE_WAIT]).isEqualTo(60_000);
        assertThat(t[LAST_ACK]).isEqualTo(30_000);
        assertThat(t[NONE]).isEqualTo(2_000);
    }

    @Test
    void aNewSynReschedulesOnlyOverAFinishedConnectionAndNeverUnderATemplate() {
        // Every state, both directions of use, each reuse mode: only TIME_WAIT and CLOSE with any mode but 0, plus a
        // DR/TUN FIN_WAIT with bit 2 (which implies bit 1, as in the kernel); a template-controlled entry never.
        for (int mode = 0; mode < 4; mode++) {
            for (int s = 0; s < TCP_STATE_COUNT; s++) {
                for (boolean inputOnly : new boolean[] {false, true}) {
                    boolean expected = mode != 0
                            && (s == TIME_WAIT || s == CLOSE
                                || (mode & REUSE_FIN_WAIT_INPUT_ONLY) != 0 && s == FIN_WAIT && inputOnly);
                    assertThat(synStartsNewConnection(s, inputOnly, false, mode))
                            .as("mode %d %s inputOnly=%s", mode, tcpName(s), inputOnly).isEqualTo(expected);
                    assertThat(synStartsNewConnection(s, inputOnly, true, mode)).isFalse();
                }
            }
        }
        // The cases the drill hit, spelled out: a DR client reusing its port after closing goes to a fresh server
        // by default; with the kernel's mode 1 it would go back to the old one; a NAT FIN_WAIT (server closed
        // first, the client has not yet) stays.
        assertThat(synStartsNewConnection(FIN_WAIT, true, false, REUSE_DEFAULT)).isTrue();
        assertThat(synStartsNewConnection(FIN_WAIT, true, false, REUSE_TIME_WAIT_CLOSE)).isFalse();
        assertThat(synStartsNewConnection(FIN_WAIT, false, false, REUSE_DEFAULT)).isFalse();
        assertThat(synStartsNewConnection(ESTABLISHED, true, false, REUSE_DEFAULT)).isFalse();
    }
}
