package org.lvsha.dist.config;

import java.util.List;
import org.lvsha.core.ipvs.Timeouts;

/**
 * The IPVS side of a director.
 *
 * @param outsideInterface the clients' side, where the userspace data plane reads requests
 * @param insideInterface  the real servers' side (NAT replies come back here)
 * @param workers          userspace data-plane worker threads
 */
public record IpvsSettings(IpvsBackend backend, String outsideInterface, String insideInterface, int workers,
                           Timeouts timeouts, List<ServiceConfig> services) {
    public IpvsSettings {
        services = List.copyOf(services);
    }
}
