package org.lvsha.dist.lab;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A lab as built: the description and the full namespace name of every host and bridge.
 * Addresses are not stored here; they follow from {@link AddressPlan}.
 */
public record LabTopology(String prefix, Lab lab, Map<String, String> hosts, List<String> bridges) {
    public LabTopology {
        hosts = Map.copyOf(hosts);
        bridges = List.copyOf(bridges);
    }

    /**
     * The names a lab of this prefix and description has, without looking at the system: what
     * {@link TopologyBuilder} creates (NetnsLab names namespaces {@code PREFIX-NAME}), and what a
     * later process reconstructs from the state file.
     */
    public static LabTopology planned(String prefix, Lab lab) {
        Map<String, String> hosts = new java.util.LinkedHashMap<>();
        for (String h : lab.hostNames()) {
            hosts.put(h, prefix + "-" + h);
        }
        return new LabTopology(prefix, lab, hosts, List.of(prefix + "-br-out", prefix + "-br-in"));
    }

    /** Full namespace name of a host by its short name (client, router, dir1, rs2...). */
    public String ns(String host) {
        String ns = hosts.get(host);
        if (ns == null) {
            throw new IllegalArgumentException("no host '" + host + "' in lab " + prefix + " (" + lab.layout() + "): " + hosts.keySet());
        }
        return ns;
    }

    public String client() {
        return ns("client");
    }

    /** The router's namespace; only the DR layout has one. */
    public String router() {
        return ns("router");
    }

    public String director(int index) {
        AddressPlan.director(index);
        return ns("dir" + index);
    }

    public String realServer(int index) {
        return ns("rs" + index);
    }

    /** Every namespace of the lab (hosts then bridges), which is what teardown deletes. */
    public List<String> namespaces() {
        List<String> all = new ArrayList<>();
        for (String h : lab.hostNames()) {
            all.add(hosts.get(h));
        }
        all.addAll(bridges);
        return all;
    }
}
