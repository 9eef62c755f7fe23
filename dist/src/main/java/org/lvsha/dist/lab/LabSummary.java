package org.lvsha.dist.lab;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.lvsha.dist.lab.AddressPlan.Net;

/** The compact table {@code lab up} prints: every host, its namespace, interfaces and addresses. */
public final class LabSummary {
    private LabSummary() {
    }

    public static String format(LabState state, double seconds, String stateFile) {
        Lab lab = state.lab();
        LabTopology t = state.topology();
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "lab %s up: %s, %d real servers, %s (%.1f s)%n", state.prefix(),
                lab.layout().name().toLowerCase(Locale.ROOT), lab.realServers(), lab.ipv6() ? "IPv4+IPv6" : "IPv4", seconds));
        for (String host : lab.hostNames()) {
            List<String> cols = new ArrayList<>();
            switch (host) {
                case "client" -> cols.add("eth0 " + addr(lab, Net.OUTSIDE, AddressPlan.CLIENT));
                case "router" -> {
                    cols.add("eth0 " + addr(lab, Net.OUTSIDE, AddressPlan.ROUTER));
                    cols.add("eth1 " + addr(lab, Net.INSIDE, AddressPlan.ROUTER));
                }
                case "dir1", "dir2" -> {
                    int h = AddressPlan.director(host.equals("dir1") ? 1 : 2);
                    cols.add("eth0 " + addr(lab, Net.OUTSIDE, h));
                    cols.add("eth1 " + addr(lab, Net.INSIDE, h));
                }
                default -> {
                    int i = Integer.parseInt(host.substring(2));
                    cols.add("eth0 " + addr(lab, Net.INSIDE, AddressPlan.realServer(i)));
                    if (lab.layout() == Layout.DR) {
                        cols.add("lo " + AddressPlan.VIP4 + (lab.ipv6() ? " " + AddressPlan.VIP6 : ""));
                    }
                    state.processes().stream().filter(p -> p.name().equals(host)).findFirst()
                            .ifPresent(p -> cols.add("pid " + p.pid()));
                }
            }
            sb.append(String.format(Locale.ROOT, "  %-7s %-16s %s%n", host, t.ns(host), String.join("  ", cols)));
        }
        sb.append("  VIP ").append(AddressPlan.VIP4).append(lab.ipv6() ? " " + AddressPlan.VIP6 : "")
                .append(", DIP ").append(AddressPlan.DIP4).append(lab.ipv6() ? " " + AddressPlan.DIP6 : "")
                .append(": not on the directors yet (the master's daemon adds them)\n");
        sb.append("  state ").append(stateFile).append("; logs ").append(state.logDir()).append('\n');
        return sb.toString();
    }

    private static String addr(Lab lab, Net net, int host) {
        return net.v4Cidr(host) + (lab.ipv6() ? " " + net.v6Cidr(host) : "");
    }
}
