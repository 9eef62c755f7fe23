package org.lvsha.core.ipvs;

/**
 * Protocol timeouts in seconds (§4: TCP ESTABLISHED, TCP FIN_WAIT, UDP NORMAL). In a set request 0 keeps the
 * current value (§2.3).
 */
public record Timeouts(int tcp, int tcpFin, int udp) {
    /** Kernel defaults (§1.7, §4). */
    public static final Timeouts DEFAULTS = new Timeouts(900, 120, 300);

    public Timeouts {
        if (tcp < 0 || tcpFin < 0 || udp < 0) {
            throw new IllegalArgumentException("timeouts must not be negative");
        }
    }

    /** Applies a set request to the current values: zeros keep what is there. */
    public Timeouts overriddenBy(Timeouts request) {
        return new Timeouts(request.tcp != 0 ? request.tcp : tcp,
                request.tcpFin != 0 ? request.tcpFin : tcpFin,
                request.udp != 0 ? request.udp : udp);
    }
}
