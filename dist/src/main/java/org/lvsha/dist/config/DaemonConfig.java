package org.lvsha.dist.config;

import java.nio.file.Path;
import java.util.List;
import org.lvsha.health.config.ServiceHealth;
import org.lvsha.vrrp.config.NodeConfig;

/**
 * Everything {@code lvsha run} needs, validated. Built only by {@link DaemonConfigLoader}, so an instance is
 * never half-valid.
 *
 * @param adminDirectory where drain/maintenance files are polled; may be null
 */
public record DaemonConfig(Path source, String node, NodeConfig vrrp, IpvsSettings ipvs, SyncSettings sync,
                           AdminSettings admin, Path adminDirectory) {

    public List<ServiceHealth> healthServices() {
        return ipvs.services().stream().map(ServiceConfig::health).toList();
    }
}
