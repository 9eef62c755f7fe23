package org.lvsha.dist.lab;

import java.util.ArrayList;
import java.util.List;
import org.lvsha.core.lab.NetnsLab;
import org.lvsha.core.lab.Shell;

/**
 * Takes a lab down from any process: kills its processes (recorded PIDs and anything else with
 * its marker), deletes every {@code PREFIX-*} namespace, and checks that nothing is left.
 */
public final class LabTeardown {
    private LabTeardown() {
    }

    /** What was left after teardown; empty lists mean the lab is entirely gone. */
    public record Leftovers(List<String> namespaces, List<Long> processes) {
        public boolean none() {
            return namespaces.isEmpty() && processes.isEmpty();
        }
    }

    public static Leftovers down(String prefix, List<LabProcess> recorded) {
        List<Long> pids = new ArrayList<>();
        recorded.forEach(p -> pids.add(p.pid()));
        LabProcesses.kill(pids, prefix);
        // Deleting a namespace kills what is still inside it (NetnsLab.sweep) and its links with it.
        NetnsLab.sweep(prefix);
        LabProcesses.kill(LabProcesses.find(prefix), prefix);
        return leftovers(prefix);
    }

    public static Leftovers leftovers(String prefix) {
        return new Leftovers(namespaces(prefix), LabProcesses.find(prefix));
    }

    /** The existing namespaces named {@code PREFIX-*}. */
    public static List<String> namespaces(String prefix) {
        List<String> found = new ArrayList<>();
        Shell.Result list = Shell.tryRun("ip", "netns", "list");
        for (String line : list.stdout().split("\n")) {
            String name = line.strip().split("\\s+")[0];
            if (name.startsWith(prefix + "-")) {
                found.add(name);
            }
        }
        return found;
    }
}
