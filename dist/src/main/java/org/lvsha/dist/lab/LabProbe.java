package org.lvsha.dist.lab;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Checks the lab's paths to the real servers without any director daemon: {@code GET /} to every
 * RIP from dir1 (the director's side of the inside net, both layouts) and, in DR, from the client
 * through the router (the path DR replies take). Each answer must carry the expected identity.
 */
public final class LabProbe {
    private LabProbe() {
    }

    /** One request: from which host, to which real server and address, and what came back. */
    public record Result(String from, String realServer, String address, NamespaceHttp.Response response) {
        public boolean ok() {
            return response.ok() && realServer.equals(response.server()) && realServer.equals(response.body().strip());
        }

        /** {@code rs1 192.0.2.11:80 -> rs1 (3 ms)}, or the failure. */
        public String line() {
            String target = realServer + " " + (address.contains(":") ? "[" + address + "]" : address) + ":" + AddressPlan.HTTP_PORT;
            if (ok()) {
                return String.format(Locale.ROOT, "%s -> %s (%.0f ms)", target, response.server(), response.millis());
            }
            if (response.status() == 0) {
                return target + " -> FAILED: " + response.error();
            }
            return target + " -> FAILED: HTTP " + response.status() + " from '" + response.server() + "' body '"
                    + response.body().strip() + "'";
        }
    }

    public record Report(List<Result> results) {
        public boolean ok() {
            return !results.isEmpty() && results.stream().allMatch(Result::ok);
        }

        /** Lines grouped by source, as {@code lab probe} prints them. */
        public String format() {
            StringBuilder sb = new StringBuilder();
            String from = null;
            for (Result r : results) {
                if (!r.from().equals(from)) {
                    from = r.from();
                    sb.append("from ").append(from).append(from.equals("client") ? " via router" : "").append(":\n");
                }
                sb.append("  ").append(r.line()).append('\n');
            }
            return sb.toString();
        }
    }

    public static Report run(LabTopology topology, Duration timeout) {
        Lab lab = topology.lab();
        List<String> sources = lab.hasRouter() ? List.of("dir1", "client") : List.of("dir1");
        List<Result> results = new ArrayList<>();
        for (String from : sources) {
            String ns = topology.ns(from);
            for (int i = 1; i <= lab.realServers(); i++) {
                List<String> addresses = lab.ipv6() ? List.of(AddressPlan.rip4(i), AddressPlan.rip6(i)) : List.of(AddressPlan.rip4(i));
                for (String address : addresses) {
                    results.add(new Result(from, "rs" + i, address,
                            NamespaceHttp.get(ns, address, AddressPlan.HTTP_PORT, "/", timeout)));
                }
            }
        }
        return new Report(results);
    }
}
