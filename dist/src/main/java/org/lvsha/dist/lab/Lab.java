package org.lvsha.dist.lab;

import java.util.ArrayList;
import java.util.List;

/**
 * What lab to build: the layout, how many real servers and whether IPv6 addresses are added
 * besides the IPv4 ones. The addresses themselves are fixed by {@link AddressPlan} (LAB.md).
 */
public record Lab(Layout layout, int realServers, boolean ipv6) {
    /** The plan numbers real servers .11 upwards; beyond 50 they would run into other hosts' numbers. */
    public static final int MAX_REAL_SERVERS = 50;

    public Lab {
        if (layout == null) {
            throw new IllegalArgumentException("layout is required (dr or nat)");
        }
        if (realServers < 1 || realServers > MAX_REAL_SERVERS) {
            throw new IllegalArgumentException("real servers must be 1.." + MAX_REAL_SERVERS + ", got " + realServers);
        }
    }

    public static Lab dr(int realServers) {
        return new Lab(Layout.DR, realServers, false);
    }

    public static Lab nat(int realServers) {
        return new Lab(Layout.NAT, realServers, false);
    }

    public Lab withIpv6() {
        return new Lab(layout, realServers, true);
    }

    /** Whether the lab has a router between the nets (only DR needs one, see {@link Layout#DR}). */
    public boolean hasRouter() {
        return layout == Layout.DR;
    }

    /** Real server names rs1..rsN. */
    public List<String> realServerNames() {
        List<String> names = new ArrayList<>(realServers);
        for (int i = 1; i <= realServers; i++) {
            names.add("rs" + i);
        }
        return names;
    }

    /** Every host namespace's short name, in the order they are created. */
    public List<String> hostNames() {
        List<String> hosts = new ArrayList<>();
        hosts.add("client");
        if (hasRouter()) {
            hosts.add("router");
        }
        hosts.add("dir1");
        hosts.add("dir2");
        hosts.addAll(realServerNames());
        return hosts;
    }
}
