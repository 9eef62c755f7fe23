package org.lvsha.health.policy;

import java.util.Map;

/** A service's policy state to carry across a reload: quorum and each real server's {@link ServerState} by id. */
public record ServiceState(boolean quorumHeld, Map<String, ServerState> servers) {
    public ServiceState {
        servers = Map.copyOf(servers);
    }
}
