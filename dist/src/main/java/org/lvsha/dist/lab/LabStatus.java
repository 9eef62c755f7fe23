package org.lvsha.dist.lab;

import java.time.Duration;
import java.util.List;
import org.lvsha.core.lab.NetnsLab;
import org.lvsha.core.lab.Shell;

/** The {@code lab status} report: namespaces, their interfaces and addresses, and the lab's processes. */
public final class LabStatus {
    private LabStatus() {
    }

    /** The report text, and whether everything the state file records is present and alive. */
    public record Report(String text, boolean healthy) {
    }

    public static Report of(LabState state) {
        StringBuilder sb = new StringBuilder();
        boolean healthy = true;
        sb.append("lab ").append(state.prefix()).append(": ").append(state.layout().name().toLowerCase(java.util.Locale.ROOT))
                .append(", ").append(state.realServers()).append(" real servers").append(state.ipv6() ? ", IPv4+IPv6" : ", IPv4")
                .append(", up since ").append(state.createdAt()).append('\n');
        List<String> existing = LabTeardown.namespaces(state.prefix());
        for (String ns : state.namespaces()) {
            if (!existing.contains(ns)) {
                healthy = false;
                sb.append(ns).append(": MISSING\n");
                continue;
            }
            sb.append(ns).append(":\n");
            // Bridges have no addresses worth showing; their ports are what matters there.
            boolean bridge = ns.startsWith(state.prefix() + "-br-");
            Shell.Result r = Shell.exec(Duration.ofSeconds(10), NetnsLab.nsCommand(ns, "ip", "-br",
                    bridge ? "link" : "addr"));
            for (String line : r.stdout().strip().split("\n")) {
                if (!line.isBlank() && !(bridge && line.startsWith("lo "))) {
                    sb.append("  ").append(line.strip().replaceAll("\\s+", " ")).append('\n');
                }
            }
        }
        sb.append("processes:\n");
        for (LabProcess p : state.processes()) {
            boolean alive = LabProcesses.isLabProcess(p.pid(), state.prefix());
            healthy &= alive;
            sb.append("  ").append(p.name()).append(" pid ").append(p.pid()).append(" in ").append(p.namespace())
                    .append(alive ? " alive" : " DEAD (log " + p.log() + ")").append('\n');
        }
        return new Report(sb.toString(), healthy);
    }
}
