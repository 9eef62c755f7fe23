package org.lvsha.vrrp.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * All instances and sync groups of one node.
 *
 * @param reannounceMinGap a master answers lower-priority adverts (split brain) at most this often
 */
public record NodeConfig(List<InstanceConfig> instances, List<SyncGroupConfig> groups, Duration reannounceMinGap) {
    public NodeConfig {
        instances = List.copyOf(instances);
        groups = groups == null ? List.of() : List.copyOf(groups);
        reannounceMinGap = reannounceMinGap == null ? Duration.ofSeconds(1) : reannounceMinGap;
        List<String> p = new ArrayList<>();
        Set<String> names = new HashSet<>();
        Set<String> keys = new HashSet<>();
        for (InstanceConfig i : instances) {
            if (!names.add(i.name())) {
                p.add("instance " + i.name() + ": name used twice");
            }
            // RFC 5798 §7.1: a VRID is per interface; IPv4 and IPv6 virtual routers are separate domains.
            if (!keys.add(i.interfaceName() + "/" + (i.ipv6() ? 6 : 4) + "/" + i.vrid())) {
                p.add("instance " + i.name() + ": vrid " + i.vrid() + " already used on " + i.interfaceName()
                        + " for IPv" + (i.ipv6() ? 6 : 4));
            }
        }
        Map<String, String> memberOf = new HashMap<>();
        for (SyncGroupConfig g : groups) {
            if (g.name() == null || g.name().isBlank()) {
                p.add("sync group: name is required");
            }
            if (g.instances().size() < 2) {
                p.add("sync group " + g.name() + ": needs at least two instances");
            }
            for (String member : g.instances()) {
                if (!names.contains(member)) {
                    p.add("sync group " + g.name() + ": unknown instance " + member);
                }
                String prev = memberOf.put(member, g.name());
                if (prev != null) {
                    p.add("sync group " + g.name() + ": instance " + member + " already in group " + prev);
                }
            }
        }
        for (InstanceConfig i : instances) {
            if (memberOf.containsKey(i.name()) && i.owner()) {
                // The owner goes master at startup and never yields (RFC 5798 §6.4.1, §7.1): it cannot wait for
                // or follow its siblings, so it would break the group's "together" guarantee.
                p.add("instance " + i.name() + ": priority 255 (address owner) cannot be in sync group " + memberOf.get(i.name()));
            }
            if (memberOf.containsKey(i.name())) {
                for (TrackConfig t : i.tracks()) {
                    // keepalived ignores weights in sync groups: a weight moves one member's priority and
                    // could leave the group split between two nodes. Only fault tracking is allowed.
                    if (t.weight() != 0) {
                        p.add("instance " + i.name() + ": " + t.describe() + " has weight " + t.weight()
                                + " but the instance is in sync group " + memberOf.get(i.name()) + "; use weight 0 (fault)");
                    }
                }
            }
        }
        if (reannounceMinGap.isNegative()) {
            p.add("reannounce gap must be >= 0");
        }
        if (!p.isEmpty()) {
            throw new ConfigException(p);
        }
    }

    public NodeConfig(List<InstanceConfig> instances, List<SyncGroupConfig> groups) {
        this(instances, groups, null);
    }

    public String groupOf(String instance) {
        for (SyncGroupConfig g : groups) {
            if (g.instances().contains(instance)) {
                return g.name();
            }
        }
        return null;
    }
}
