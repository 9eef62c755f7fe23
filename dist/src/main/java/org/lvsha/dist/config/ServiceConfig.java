package org.lvsha.dist.config;

import java.util.List;
import org.lvsha.core.ipvs.Destination;
import org.lvsha.core.ipvs.VirtualService;
import org.lvsha.health.config.ServiceHealth;

/**
 * One virtual service as configured: the complete IPVS objects (service and destinations at their configured
 * weights) and the health settings whose real-server ids match {@link #realServerId}.
 */
public record ServiceConfig(String id, VirtualService service, List<Destination> destinations, ServiceHealth health) {
    public ServiceConfig {
        destinations = List.copyOf(destinations);
    }

    /** How health checking names a destination: {@code address:port}, {@code [v6]:port}. */
    public static String realServerId(Destination d) {
        String a = d.address().getHostAddress();
        return (a.contains(":") ? "[" + a + "]" : a) + ":" + d.port();
    }
}
