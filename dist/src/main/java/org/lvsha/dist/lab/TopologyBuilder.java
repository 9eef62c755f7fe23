package org.lvsha.dist.lab;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.lvsha.core.lab.NetnsLab;
import org.lvsha.dist.lab.AddressPlan.Net;

/**
 * Builds the LAB.md plan on a {@link NetnsLab}: bridges {@code out} and {@code in}, a client,
 * two directors, the real servers and (DR only) a router. Everything lands in namespaces of the
 * NetnsLab, so {@link NetnsLab#close()} or {@link NetnsLab#sweep(String)} removes all of it.
 *
 * <p>The VIP and DIP are deliberately not put on the directors: they move with mastership and the
 * director daemon adds them. DR real servers get the VIP on {@code lo}, as LVS-DR requires.
 */
public final class TopologyBuilder {
    private final NetnsLab netns;
    private final Lab lab;

    private TopologyBuilder(NetnsLab netns, Lab lab) {
        this.netns = netns;
        this.lab = lab;
    }

    /** Creates the whole lab; on failure the caller closes the NetnsLab, which removes the partial lab. */
    public static LabTopology build(NetnsLab netns, Lab lab) {
        return new TopologyBuilder(netns, lab).build();
    }

    private LabTopology build() {
        List<String> bridges = new ArrayList<>();
        for (String name : List.of("out", "in")) {
            bridges.add(netns.addBridge(name));
        }
        for (String bridgeNs : bridges) {
            // Bridge ports need no IPv6, and a port still in DAD only delays the lab.
            noDad(bridgeNs);
        }
        Map<String, String> hosts = new LinkedHashMap<>();
        hosts.put("client", client());
        if (lab.hasRouter()) {
            hosts.put("router", router());
        }
        for (int d = 1; d <= 2; d++) {
            hosts.put("dir" + d, director(d));
        }
        for (int i = 1; i <= lab.realServers(); i++) {
            hosts.put("rs" + i, realServer(i));
        }
        return new LabTopology(netns.prefix(), lab, hosts, bridges);
    }

    private String client() {
        String ns = host("client");
        attach(ns, "eth0", Net.OUTSIDE, AddressPlan.CLIENT);
        if (lab.hasRouter()) {
            netns.exec(ns, "ip", "route", "add", Net.INSIDE.v4Subnet(), "via", Net.OUTSIDE.v4(AddressPlan.ROUTER));
            if (lab.ipv6()) {
                netns.exec(ns, "ip", "-6", "route", "add", Net.INSIDE.v6Subnet(), "via", Net.OUTSIDE.v6(AddressPlan.ROUTER));
            }
        }
        return ns;
    }

    private String router() {
        String ns = host("router");
        attach(ns, "eth0", Net.OUTSIDE, AddressPlan.ROUTER);
        attach(ns, "eth1", Net.INSIDE, AddressPlan.ROUTER);
        // DR replies come from the VIP (an outside address) in through eth1: a reverse-path
        // filter would call them martians and drop them.
        List<String> settings = new ArrayList<>(List.of("net.ipv4.ip_forward=1",
                "net.ipv4.conf.all.rp_filter=0", "net.ipv4.conf.default.rp_filter=0",
                "net.ipv4.conf.eth0.rp_filter=0", "net.ipv4.conf.eth1.rp_filter=0"));
        if (lab.ipv6()) {
            settings.add("net.ipv6.conf.all.forwarding=1");
        }
        sysctl(ns, settings);
        return ns;
    }

    private String director(int index) {
        String ns = host("dir" + index);
        int h = AddressPlan.director(index);
        attach(ns, "eth0", Net.OUTSIDE, h);
        attach(ns, "eth1", Net.INSIDE, h);
        // NAT replies are routed through the director; DR needs it for the kernel IPVS path too.
        List<String> settings = new ArrayList<>(List.of("net.ipv4.ip_forward=1"));
        if (lab.ipv6()) {
            settings.add("net.ipv6.conf.all.forwarding=1");
        }
        sysctl(ns, settings);
        return ns;
    }

    private String realServer(int index) {
        String ns = host("rs" + index);
        int h = AddressPlan.realServer(index);
        attach(ns, "eth0", Net.INSIDE, h);
        List<String> settings = new ArrayList<>(List.of(
                // The server sees only what a director forwarded or the router routed; with DR the
                // source/interface pairing looks asymmetric to a reverse-path filter.
                "net.ipv4.conf.all.rp_filter=0", "net.ipv4.conf.default.rp_filter=0",
                "net.ipv4.conf.eth0.rp_filter=0", "net.ipv4.conf.lo.rp_filter=0"));
        if (lab.layout() == Layout.DR) {
            netns.exec(ns, "ip", "addr", "add", AddressPlan.VIP4 + "/32", "dev", "lo");
            if (lab.ipv6()) {
                netns.exec(ns, "ip", "-6", "addr", "add", AddressPlan.VIP6 + "/128", "dev", "lo", "nodad");
            }
            // Never answer ARP for the VIP held on lo, and never use it as the source of our own
            // ARP requests: only the master director may own the VIP on the wire.
            settings.addAll(List.of("net.ipv4.conf.all.arp_ignore=1", "net.ipv4.conf.eth0.arp_ignore=1",
                    "net.ipv4.conf.all.arp_announce=2", "net.ipv4.conf.eth0.arp_announce=2"));
            route(ns, Net.INSIDE.v4(AddressPlan.ROUTER), Net.INSIDE.v6(AddressPlan.ROUTER));
        } else {
            route(ns, AddressPlan.DIP4, AddressPlan.DIP6);
        }
        sysctl(ns, settings);
        return ns;
    }

    /** Creates a host namespace with IPv6 DAD off before any interface exists, so addresses are usable at once. */
    private String host(String name) {
        String ns = netns.addHost(name);
        noDad(ns);
        return ns;
    }

    private void attach(String ns, String ifName, Net net, int host) {
        netns.connect(ns, ifName, bridgeName(net), net.mac(host));
        netns.exec(ns, "ip", "addr", "add", net.v4Cidr(host), "dev", ifName);
        if (lab.ipv6()) {
            netns.exec(ns, "ip", "-6", "addr", "add", net.v6Cidr(host), "dev", ifName, "nodad");
        }
    }

    private void route(String ns, String gw4, String gw6) {
        netns.exec(ns, "ip", "route", "add", "default", "via", gw4);
        if (lab.ipv6()) {
            netns.exec(ns, "ip", "-6", "route", "add", "default", "via", gw6);
        }
    }

    private void noDad(String ns) {
        sysctl(ns, List.of("net.ipv6.conf.all.accept_dad=0", "net.ipv6.conf.default.accept_dad=0"));
    }

    private void sysctl(String ns, List<String> settings) {
        List<String> cmd = new ArrayList<>(List.of("sysctl", "-q", "-w"));
        cmd.addAll(settings);
        netns.exec(ns, cmd.toArray(String[]::new));
    }

    private static String bridgeName(Net net) {
        return switch (net) {
            case OUTSIDE -> "out";
            case INSIDE -> "in";
            case SPARE -> throw new IllegalArgumentException("the base lab has no spare bridge");
        };
    }
}
