package org.lvsha.dist.daemon;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.concurrent.Callable;
import org.lvsha.dist.admin.AdminClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code lvsha status [--json]}: the director's state read from its admin endpoint. */
@Command(name = "status", mixinStandardHelpOptions = true, description = "Show a running director's VRRP, table, sync and data-plane state.")
public final class StatusCommand implements Callable<Integer> {
    @Mixin
    AdminEndpointOptions endpoint;

    @Option(names = "--json", description = "print the admin endpoint's JSON as it is")
    boolean json;

    @Override
    public Integer call() throws IOException {
        AdminClient.Response r;
        try {
            r = endpoint.client().get("/status");
        } catch (IllegalStateException | IllegalArgumentException e) {
            System.err.println("lvsha status: " + e.getMessage());
            return 1;
        }
        if (!r.ok()) {
            System.err.println("lvsha status: HTTP " + r.status() + ": " + r.body());
            return 1;
        }
        if (json) {
            System.out.print(r.body());
        } else {
            System.out.print(StatusText.render(new ObjectMapper().readTree(r.body())));
        }
        System.out.flush();
        return 0;
    }

    /** The human view: one line per instance, one per real server, then sync and data plane. */
    static final class StatusText {
        private StatusText() {
        }

        static String render(JsonNode s) {
            StringBuilder b = new StringBuilder();
            b.append(String.format("director %s  backend %s  pid %d%s%n", s.path("node").asText(), s.path("backend").asText(),
                    s.path("pid").asLong(), s.path("parts_failure").isNull() ? "" : "  PART FAILED: " + s.path("parts_failure").asText()));
            b.append(String.format("%n%-10s %-5s %-7s %-5s %-16s %s%n", "INSTANCE", "VRID", "STATE", "PRIO", "MASTER", "LAST TRANSITION"));
            s.path("instances").fields().forEachRemaining(e -> {
                JsonNode i = e.getValue();
                JsonNode t = i.path("last_transition");
                b.append(String.format("%-10s %-5d %-7s %-5d %-16s %s%n", e.getKey(), i.path("vrid").asInt(), i.path("state").asText(),
                        i.path("priority").asInt(), i.path("master").asText("-"),
                        t.isNull() || t.isMissingNode() ? "-" : t.path("from").asText() + " -> " + t.path("to").asText()
                                + " (" + t.path("reason").asText() + ") at " + t.path("at").asText()));
            });
            b.append(String.format("%n%-28s %-22s %-6s %-7s %-16s %s%n", "SERVICE", "REAL SERVER", "METHOD", "WEIGHT", "HEALTH", "ACTIVE"));
            for (JsonNode svc : s.path("table")) {
                for (JsonNode r : svc.path("real_servers")) {
                    b.append(String.format("%-28s %-22s %-6s %-7d %-16s %d%n", svc.path("service").asText(), r.path("server").asText(),
                            r.path("method").asText(), r.path("weight").asInt(), r.path("health").asText(), r.path("active_connections").asInt()));
                }
            }
            JsonNode sync = s.path("sync");
            if (sync.path("enabled").asBoolean()) {
                b.append(String.format("%nsync %s: %s, %d member(s), %d connection(s), lag p99 %d us (last 2 s: max %d us)%n",
                        sync.path("channel").asText(), sync.path("state_transfer").asText(), sync.path("members").size(),
                        sync.path("replicated_connections").asLong(), sync.path("lag_p99_us").asLong(),
                        sync.path("lag_recent_max_us").asLong()));
            } else {
                b.append(String.format("%nsync: off%n"));
            }
            if (s.path("dataplane").size() > 0) {
                StringBuilder p = new StringBuilder();
                s.path("dataplane").fields().forEachRemaining(e -> {
                    if (e.getValue().asLong() != 0) {
                        p.append(p.length() == 0 ? "" : "  ").append(e.getKey()).append('=').append(e.getValue().asLong());
                    }
                });
                b.append("data plane: ").append(p.length() == 0 ? "(no traffic)" : p).append('\n');
            }
            return b.toString();
        }
    }
}
