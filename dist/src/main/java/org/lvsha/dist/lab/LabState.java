package org.lvsha.dist.lab;

import java.util.List;

/**
 * What {@code lab up} leaves behind for {@code lab status|probe|down} run from other processes:
 * the description, every namespace and process it made, where the logs are.
 */
public record LabState(String prefix, Layout layout, int realServers, boolean ipv6, List<String> namespaces,
                       List<LabProcess> processes, String logDir, String createdAt) {
    public LabState {
        namespaces = List.copyOf(namespaces);
        processes = List.copyOf(processes);
    }

    public Lab lab() {
        return new Lab(layout, realServers, ipv6);
    }

    public LabTopology topology() {
        return LabTopology.planned(prefix, lab());
    }
}
