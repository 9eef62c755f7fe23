package org.lvsha.vrrp.notify;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.lvsha.vrrp.CommandRunner;
import org.lvsha.vrrp.config.NotifyConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs keepalived-style notify scripts for each transition: the per-state script (no arguments), then
 * the generic one with {@code TYPE NAME STATE PRIORITY}. Runs on the event stream's writer thread, so
 * hooks see transitions in order; a slow hook delays later hooks, never the protocol.
 */
public final class HookScripts implements EventSink {
    private static final Logger LOG = LoggerFactory.getLogger(HookScripts.class);
    private final Map<String, NotifyConfig> instances;
    private final Map<String, NotifyConfig> groups;
    private final CommandRunner runner;
    private final Duration timeout;

    public HookScripts(Map<String, NotifyConfig> instances, Map<String, NotifyConfig> groups, CommandRunner runner, Duration timeout) {
        this.instances = Map.copyOf(instances);
        this.groups = Map.copyOf(groups);
        this.runner = runner;
        this.timeout = timeout;
    }

    /** Hooks of every instance and sync group of a node. */
    public static HookScripts of(org.lvsha.vrrp.config.NodeConfig config, CommandRunner runner, Duration timeout) {
        Map<String, NotifyConfig> instances = new java.util.HashMap<>();
        config.instances().forEach(i -> instances.put(i.name(), i.hooks()));
        Map<String, NotifyConfig> groups = new java.util.HashMap<>();
        config.groups().forEach(g -> groups.put(g.name(), g.hooks()));
        return new HookScripts(instances, groups, runner, timeout);
    }

    @Override
    public void accept(TransitionEvent e) {
        NotifyConfig c = ("GROUP".equals(e.type()) ? groups : instances).get(e.name());
        if (c == null) {
            return;
        }
        String perState = switch (e.hookState()) {
            case "MASTER" -> c.onMaster();
            case "BACKUP" -> c.onBackup();
            case "FAULT" -> c.onFault();
            default -> c.onStop();
        };
        if (perState != null) {
            run(List.of(perState), e);
        }
        if (c.any() != null) {
            List<String> cmd = new ArrayList<>();
            cmd.add(c.any());
            cmd.add(e.type());
            cmd.add(e.name());
            cmd.add(e.hookState());
            cmd.add(Integer.toString(e.priority()));
            run(cmd, e);
        }
    }

    private void run(List<String> cmd, TransitionEvent e) {
        int rc = runner.run(cmd, timeout);
        if (rc != 0) {
            LOG.warn("notify hook {} for {} {} -> {} exited {}", cmd, e.type(), e.name(), e.hookState(), rc);
        }
    }
}
