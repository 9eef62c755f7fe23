package org.lvsha.vrrp.config;

import java.util.List;

/** Instances that change state together (the VIP instance on eth0 and the DIP instance on eth1). */
public record SyncGroupConfig(String name, List<String> instances, NotifyConfig hooks) {
    public SyncGroupConfig {
        instances = List.copyOf(instances);
        hooks = hooks == null ? NotifyConfig.NONE : hooks;
    }
}
