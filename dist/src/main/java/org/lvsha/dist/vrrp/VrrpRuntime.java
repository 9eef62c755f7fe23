package org.lvsha.dist.vrrp;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.lvsha.core.platform.ThreadScheduling;
import org.lvsha.core.platform.rtnl.LinuxAddressManager;
import org.lvsha.vrrp.MonotonicClock;
import org.lvsha.vrrp.ProcessCommandRunner;
import org.lvsha.vrrp.VrrpCounters;
import org.lvsha.vrrp.codec.RejectReason;
import org.lvsha.vrrp.config.NodeConfig;
import org.lvsha.vrrp.node.InstanceStatus;
import org.lvsha.vrrp.node.VrrpNode;
import org.lvsha.vrrp.notify.EventSink;
import org.lvsha.vrrp.notify.EventStream;
import org.lvsha.vrrp.notify.HookScripts;
import org.lvsha.vrrp.notify.JsonLinesFileSink;
import org.lvsha.vrrp.proto.State;
import org.lvsha.vrrp.track.Trackers;
import org.lvsha.vrrp.transport.RawSocketTransport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running VRRP node on this host's network (the calling thread's namespace): raw-socket transport,
 * rtnetlink address manager, hook scripts and event sinks, trackers, and the {@link VrrpNode} with its
 * owner thread. The composition the daemon reuses; {@code lvsha vrrp} is a thin command around it.
 *
 * <pre>
 * try (VrrpRuntime vrrp = VrrpRuntime.start(VrrpConfigFile.load(path), new VrrpRuntime.Options(statusFile, eventsFile, System.out))) {
 *     vrrp.node().switchover("lb");   // planned switchover
 * }                                   // graceful stop: priority 0 adverts, addresses removed
 * </pre>
 *
 * Threads: the node's owner thread (adverts, sockets, timers, addresses), the event writer (hooks,
 * sinks), and optionally one tracker thread and one status-file writer; none of the latter is on the
 * advert path.
 */
public final class VrrpRuntime implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(VrrpRuntime.class);

    /**
     * @param statusFile  rewritten (atomically) with {@link #statusJson()} on each transition and every 200 ms; or null
     * @param eventsFile  transitions appended as JSON lines; or null
     * @param eventsOut   transitions printed as JSON lines (stdout for the command); or null
     * @param realtimePriority 1-99: the process's threads (the node's owner thread, the JVM's VM and GC threads)
     *                    run SCHED_RR at this priority (needs CAP_SYS_NICE; refused = a warning); 0: normal scheduling
     */
    public record Options(Path statusFile, Path eventsFile, PrintStream eventsOut, int realtimePriority, List<EventSink> extraSinks) {
        public Options {
            extraSinks = extraSinks == null ? List.of() : List.copyOf(extraSinks);
        }

        public Options(Path statusFile, Path eventsFile, PrintStream eventsOut, int realtimePriority) {
            this(statusFile, eventsFile, eventsOut, realtimePriority, List.of());
        }

        public Options(Path statusFile, Path eventsFile, PrintStream eventsOut) {
            this(statusFile, eventsFile, eventsOut, 0, List.of());
        }

        /** The same options with {@code sink} also told about every transition (the director daemon's reactions). */
        public Options withSink(EventSink sink) {
            List<EventSink> all = new ArrayList<>(extraSinks);
            all.add(sink);
            return new Options(statusFile, eventsFile, eventsOut, realtimePriority, all);
        }
    }

    private final NodeConfig config;
    private final RawSocketTransport transport;
    private final LinuxAddressManager addresses;
    private final EventStream events;
    private final Object statusLock = new Object();
    private final JsonLinesFileSink eventsFile;
    private final VrrpNode node;
    private final VrrpCounters counters = new VrrpCounters();
    private final ScheduledExecutorService background;
    /** How often tracked links are read: a link going down is seen within this (plus the read itself). */
    public static final Duration LINK_POLL_INTERVAL = Duration.ofMillis(100);
    private final Trackers trackers;
    private final Path statusFile;
    private volatile boolean closed;

    private VrrpRuntime(NodeConfig config, Options options) throws IOException {
        this.config = config;
        this.statusFile = options.statusFile();
        List<AutoCloseable> opened = new ArrayList<>();
        try {
            transport = RawSocketTransport.open(config);
            opened.add(transport);
            addresses = LinuxAddressManager.open();
            opened.add(addresses);
            List<EventSink> sinks = new ArrayList<>();
            sinks.add(HookScripts.of(config, new ProcessCommandRunner(), Duration.ofSeconds(30)));
            eventsFile = options.eventsFile() == null ? null : new JsonLinesFileSink(options.eventsFile());
            if (eventsFile != null) {
                sinks.add(eventsFile);
                opened.add(eventsFile);
            }
            PrintStream out = options.eventsOut();
            if (out != null) {
                sinks.add(e -> {
                    out.println(e.toJson());
                    out.flush();
                });
            }
            if (statusFile != null) {
                sinks.add(e -> writeStatus());
            }
            sinks.addAll(options.extraSinks());
            events = new EventStream(sinks);
            opened.add(events);
            node = new VrrpNode(config, transport, addresses, MonotonicClock.system(), events, counters);
            background = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "vrrp-background");
                t.setDaemon(true);
                return t;
            });
            boolean tracking = config.instances().stream().anyMatch(i -> !i.tracks().isEmpty());
            trackers = tracking ? new Trackers(background, new ProcessCommandRunner(), Trackers.SYSFS_LINK, LINK_POLL_INTERVAL) : null;
        } catch (IOException | RuntimeException e) {
            closeAll(opened);
            throw e;
        }
    }

    /** Opens everything and starts the node; on failure nothing stays open. */
    public static VrrpRuntime start(NodeConfig config, Options options) {
        VrrpRuntime r;
        try {
            r = new VrrpRuntime(config, options);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot open the VRRP event file", e);
        }
        int rt = options.realtimePriority();
        r.node.start(() -> {
            if (rt > 0) {
                ThreadScheduling.roundRobin(rt);
                // Every thread of the process, as keepalived does for its VRRP process: a stop-the-world pause
                // (GC, or the JVM's periodic cleanup safepoint) waits for EVERY Java thread to reach the safepoint
                // and then for the VM thread to do the work; one normal-priority thread descheduled on a loaded
                // machine held the owner thread for 177 ms in the soak. Threads started later inherit the policy.
                List<String> jvm = ThreadScheduling.roundRobinProcessThreads(n -> true, rt);
                LOG.info("VRRP: {} threads of this process run SCHED_RR priority {}", jvm.size(), rt);
            }
        });
        if (r.trackers != null) {
            config.instances().forEach(i -> r.trackers.start(i, r.node::trackSample));
        }
        if (r.statusFile != null) {
            r.writeStatus();
            r.background.scheduleWithFixedDelay(r::writeStatus, 200, 200, TimeUnit.MILLISECONDS);
        }
        LOG.info("VRRP node started: {} instance(s), {} sync group(s)", config.instances().size(), config.groups().size());
        return r;
    }

    public VrrpNode node() {
        return node;
    }

    public NodeConfig config() {
        return config;
    }

    public VrrpCounters counters() {
        return counters;
    }

    /**
     * One JSON object: {@code {"pid":..,"stopped":..,"instances":{NAME:{"state","priority","master","master_priority"}},
     * "counters":{"received":..,"sent":..,"priority0_sent":..,"send_errors":..,"address_errors":..,
     * "transitions":{STATE:n},"rejected":{REASON:n}}}}.
     */
    public String statusJson() {
        StringBuilder b = new StringBuilder(512);
        b.append("{\"pid\":").append(ProcessHandle.current().pid()).append(",\"stopped\":").append(closed)
                .append(",\"monotonic_ns\":").append(System.nanoTime()).append(",\"instances\":{");
        boolean first = true;
        for (Map.Entry<String, InstanceStatus> e : new TreeMap<>(node.statuses()).entrySet()) {
            InstanceStatus s = e.getValue();
            b.append(first ? "" : ",").append('"').append(e.getKey()).append("\":{\"state\":\"").append(s.state())
                    .append("\",\"priority\":").append(s.priority()).append(",\"master\":")
                    .append(s.masterAddress() == null ? "null" : "\"" + s.masterAddress().getHostAddress() + "\"")
                    .append(",\"master_priority\":").append(s.masterPriority()).append('}');
            first = false;
        }
        b.append("},\"counters\":{\"received\":").append(counters.receivedOk()).append(",\"sent\":").append(counters.advertsSent())
                .append(",\"priority0_sent\":").append(counters.priorityZeroSent())
                .append(",\"priority0_received\":").append(counters.priorityZeroReceived())
                .append(",\"max_advert_late_ms\":").append(counters.maxAdvertLateNanos() / 1e6)
                .append(",\"send_errors\":").append(counters.sendErrors()).append(",\"address_errors\":").append(counters.addressErrors())
                .append(",\"transitions\":{");
        first = true;
        for (State s : State.values()) {
            b.append(first ? "" : ",").append('"').append(s).append("\":").append(counters.transitionsTo(s));
            first = false;
        }
        b.append("},\"rejected\":{");
        first = true;
        for (RejectReason r : RejectReason.values()) {
            b.append(first ? "" : ",").append('"').append(r).append("\":").append(counters.rejectedCount(r));
            first = false;
        }
        return b.append("}}}").toString();
    }

    private void writeStatus() {
        if (statusFile == null) {
            return;
        }
        // Its own lock, not this object's: close() holds that while it waits for the event writer, and the writer
        // writes the status on each transition — sharing the lock stalled every stop for the writer's 10 s bound.
        synchronized (statusLock) {
            writeStatusFile();
        }
    }

    private void writeStatusFile() {
        try {
            Path tmp = statusFile.resolveSibling(statusFile.getFileName() + ".tmp");
            Files.writeString(tmp, statusJson() + "\n");
            Files.move(tmp, statusFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            LOG.warn("cannot write status file {}: {}", statusFile, e.toString());
        }
    }

    /**
     * Graceful stop (RFC 5798 §6.4.3 Shutdown): masters send a priority-0 advert so a backup takes over
     * after Skew_Time rather than Master_Down_Interval, and remove their addresses; then the transport,
     * event stream and address manager close. Idempotent.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        if (trackers != null) {
            trackers.close();
        }
        node.close();
        closed = true;
        events.close();
        writeStatus();
        background.shutdownNow();
        List<AutoCloseable> all = new ArrayList<>();
        all.add(transport);
        if (eventsFile != null) {
            all.add(eventsFile);
        }
        all.add(addresses);
        closeAll(all);
        LOG.info("VRRP node stopped");
    }

    private static void closeAll(List<AutoCloseable> list) {
        for (int i = list.size() - 1; i >= 0; i--) {
            try {
                list.get(i).close();
            } catch (Exception e) {
                LOG.warn("closing {}: {}", list.get(i), e.toString());
            }
        }
    }
}
