package org.lvsha.health.policy;

import java.util.Map;
import org.lvsha.health.check.DynamicWeight;

/**
 * What the policy knows about one real server, carried across a reload so that a new configuration starts
 * from the old verdicts instead of "not checked" (which would take every server out for a moment).
 *
 * @param healthy        the aggregated verdict, null when not known yet
 * @param dynamicWeight  the last weight reported by the agent or a command, or null
 * @param admin          administrative states by source (sources in NORMAL omitted)
 * @param rampStartNanos start of a slow start in progress (same clock), or null
 */
public record ServerState(Boolean healthy, DynamicWeight dynamicWeight, Map<AdminSource, AdminState> admin, Long rampStartNanos) {
    public ServerState {
        admin = Map.copyOf(admin);
    }
}
