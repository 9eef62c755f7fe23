package org.lvsha.dist.admin;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.TreeMap;
import org.lvsha.core.ipvs.DestinationStatus;
import org.lvsha.core.ipvs.ServiceStatus;
import org.lvsha.dist.config.DaemonConfigLoader;
import org.lvsha.dist.daemon.DirectorDaemon;
import org.lvsha.health.sink.DesiredDestination;
import org.lvsha.sync.replication.ConnectionReplicator;
import org.lvsha.vrrp.node.InstanceStatus;

/**
 * The JSON document of {@code GET /status}: per instance state, priority, master and the last transition with its
 * reason; the table with each real server's effective weight and health verdict; sync members, readiness, lag
 * and counts; data-plane counters. Field names are snake case and stable: scripts read them.
 */
public final class StatusReport {
    static final ObjectMapper JSON = new ObjectMapper();

    private StatusReport() {
    }

    public static ObjectNode of(DirectorDaemon d) {
        ObjectNode root = JSON.createObjectNode();
        root.put("node", d.config().node());
        root.put("pid", ProcessHandle.current().pid());
        root.put("started_at", d.startedAt().toString());
        root.put("backend", d.backend().kind().name().toLowerCase());
        root.put("parts_failure", d.partsFailure());
        ObjectNode instances = root.putObject("instances");
        Map<String, DirectorDaemon.Transition> last = d.lastTransitions();
        for (Map.Entry<String, InstanceStatus> e : new TreeMap<>(d.vrrp().node().statuses()).entrySet()) {
            InstanceStatus s = e.getValue();
            ObjectNode i = instances.putObject(e.getKey());
            i.put("state", s.state().name());
            i.put("vrid", s.vrid());
            i.put("priority", s.priority());
            i.put("master", s.masterAddress() == null ? null : s.masterAddress().getHostAddress());
            i.put("master_priority", s.masterPriority());
            i.put("group", s.group());
            i.put("fault", s.fault());
            transition(i, last.get("INSTANCE:" + e.getKey()));
        }
        ObjectNode groups = root.putObject("groups");
        d.config().vrrp().groups().forEach(g -> transition(groups.putObject(g.name()), last.get("GROUP:" + g.name())));

        Map<String, DesiredDestination> desired = d.table().desired();
        ArrayNode table = root.putArray("table");
        for (ServiceStatus s : d.backend().ipvs().services()) {
            ObjectNode svc = table.addObject();
            String id = DaemonConfigLoader.serviceId(s.service().key());
            svc.put("service", id);
            svc.put("scheduler", s.service().scheduler());
            svc.put("persistence", s.service().persistenceTimeout());
            svc.put("connections", s.stats().conns());
            ArrayNode rs = svc.putArray("real_servers");
            for (DestinationStatus ds : s.destinations()) {
                ObjectNode r = rs.addObject();
                String addr = ds.destination().address().getHostAddress();
                String rid = (addr.contains(":") ? "[" + addr + "]" : addr) + ":" + ds.destination().port();
                r.put("server", rid);
                r.put("method", ds.destination().method().listName());
                r.put("weight", ds.destination().weight());
                DesiredDestination dd = desired.get(id + "/" + rid);
                r.put("health", dd == null ? "NOT_REPORTED" : dd.reason().name());
                r.put("active_connections", ds.activeConns());
                r.put("inactive_connections", ds.inactiveConns());
            }
        }
        ObjectNode sync = root.putObject("sync");
        sync.put("enabled", d.replicator().isPresent());
        d.replicator().ifPresent(r -> sync(sync, r));
        d.link().ifPresent(l -> {
            sync.put("published_from_dataplane", l.published());
            sync.put("inserted_into_dataplane", l.inserted());
            sync.put("insert_refused", l.insertRefused());
        });
        ObjectNode plane = root.putObject("dataplane");
        d.backend().counters().forEach(plane::put);
        ObjectNode ops = root.putObject("operations");
        ops.put("failovers", d.failovers());
        ops.put("reloads", d.reloads());
        ops.put("reloads_refused", d.reloadsRefused());
        return root;
    }

    private static void transition(ObjectNode into, DirectorDaemon.Transition t) {
        if (t == null) {
            into.putNull("last_transition");
            return;
        }
        ObjectNode o = into.putObject("last_transition");
        o.put("from", t.from().name());
        o.put("to", t.to().name());
        o.put("reason", t.reason());
        o.put("at", t.at().toString());
    }

    private static void sync(ObjectNode o, ConnectionReplicator r) {
        o.put("channel", r.config().channelName());
        o.put("ready", r.isReady());
        o.put("state_transfer", r.isReady() ? "done" : "in progress");
        o.put("coordinator", r.isCoordinator());
        ArrayNode members = o.putArray("members");
        r.members().forEach(m -> members.add(String.valueOf(m)));
        o.put("replicated_connections", r.store().size());
        o.put("lag_p50_us", r.metrics().lag().percentileMicros(0.5));
        o.put("lag_p99_us", r.metrics().lag().percentileMicros(0.99));
        // The cumulative figures keep a startup backlog forever; these cover the last ~2 s (0: nothing arrived).
        o.put("lag_recent_max_us", r.metrics().recentLagMaxMicros());
        o.put("lag_recent_p99_us", r.metrics().recentLagP99Micros());
        o.put("lag_recent_events", r.metrics().recentLagCount());
        o.put("send_backlog_batches", r.sendBacklog());
        o.put("events_dropped", r.metrics().eventsDropped());
        o.put("events_published", r.metrics().eventsPublished());
        o.put("events_applied", r.metrics().eventsApplied());
        o.put("bytes_sent", r.metrics().bytesSent());
        o.put("bytes_received", r.metrics().bytesReceived());
        o.put("last_state_transfer_ms", r.metrics().lastStateTransferMillis());
        ObjectNode rej = o.putObject("rejected");
        r.metrics().rejections().forEach((k, v) -> rej.put(k.name(), v));
    }
}
