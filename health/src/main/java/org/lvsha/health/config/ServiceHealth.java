package org.lvsha.health.config;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;

/**
 * Health-checking settings of one virtual service and its real servers.
 *
 * @param id            the service's identifier as the IPVS model names it (e.g. {@code tcp:203.0.113.100:80})
 * @param onFailure     what a failed server becomes: {@code inhibit} (weight 0, kept, connections drain) or {@code remove}
 * @param defaults      timing for checks that leave theirs unset (itself completed from {@link CheckTiming#DEFAULTS})
 * @param slowStart     ramp from recovery to full weight over this period (zero or null: none)
 * @param slowStartSteps number of equal steps of the ramp (default 10)
 * @param quorum        optional quorum on the sum of live weights
 * @param sorryServer   optional server that takes the traffic while quorum is lost (needs {@code quorum})
 */
public record ServiceHealth(String id, FailureAction onFailure, CheckTiming defaults, Duration slowStart, Integer slowStartSteps,
                            Quorum quorum, RealServerHealth sorryServer, List<RealServerHealth> realServers) {
    public ServiceHealth {
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("service needs an id");
        }
        onFailure = onFailure == null ? FailureAction.inhibit : onFailure;
        defaults = defaults == null ? CheckTiming.DEFAULTS : defaults.orDefaults(CheckTiming.DEFAULTS);
        slowStart = slowStart == null ? Duration.ZERO : slowStart;
        if (slowStart.isNegative()) {
            throw new IllegalArgumentException("slowStart must not be negative: " + slowStart);
        }
        slowStartSteps = slowStartSteps == null ? 10 : slowStartSteps;
        if (slowStartSteps < 1) {
            throw new IllegalArgumentException("slowStartSteps must be at least 1: " + slowStartSteps);
        }
        realServers = realServers == null ? List.of() : List.copyOf(realServers);
        var ids = new HashSet<String>();
        for (RealServerHealth rs : realServers) {
            if (!ids.add(rs.id())) {
                throw new IllegalArgumentException("service " + id + ": real server " + rs.id() + " listed twice");
            }
        }
        if (sorryServer != null && quorum == null) {
            throw new IllegalArgumentException("service " + id + ": a sorry server needs a quorum to decide when it takes over");
        }
        if (sorryServer != null && ids.contains(sorryServer.id())) {
            throw new IllegalArgumentException("service " + id + ": sorry server " + sorryServer.id() + " is also a real server");
        }
    }

    /** Timing of a check with the service's defaults filled in. */
    public CheckTiming timingOf(CheckSpec check) {
        return check.timing() == null ? defaults : check.timing().orDefaults(defaults);
    }
}
