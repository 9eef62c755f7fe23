package org.lvsha.dist.drill;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.lvsha.dist.drill.TimelineEvent.VrrpRole;

/**
 * VRRP transitions of lab directors, from the status file each {@code lvsha run --status-file} rewrites on every
 * transition (and every 200 ms), polled every {@link #POLL_MILLIS} ms. A transition is stamped with the file's own
 * {@code monotonic_ns} (System.nanoTime() of the daemon when it wrote the file right after the transition: the same
 * CLOCK_MONOTONIC as the traffic log), so the polling delay does not shift it; two transitions of one instance
 * within a poll show as one. A director whose process is gone (the file's pid no longer runs, or it says
 * {@code stopped}) is reported as INIT at the moment this observer noticed: a SIGKILLed daemon cannot write a last word.
 */
public final class StatusFileObserver implements DirectorObserver {
    static final long POLL_MILLIS = 5;
    private static final Map<String, Integer> VRIDS = Map.of("vip", 51, "dip", 52);

    private final Map<String, Path> files;
    private final Map<String, VrrpRole> last = new LinkedHashMap<>();
    private volatile boolean running;
    private Thread poller;

    /** {@code files}: director name (as the report shows it) to its status file. */
    public StatusFileObserver(Map<String, Path> files) {
        this.files = new LinkedHashMap<>(files);
    }

    public static StatusFileObserver forPair(LabDirectorPair pair) {
        Map<String, Path> f = new LinkedHashMap<>();
        f.put("dir1", pair.statusFile(1));
        f.put("dir2", pair.statusFile(2));
        return new StatusFileObserver(f);
    }

    @Override
    public void start(Timeline timeline) {
        // The state at the start is the "before" of the first transition: remembered, not recorded.
        files.forEach((node, file) -> poll(node, file, null));
        running = true;
        poller = new Thread(() -> {
            while (running) {
                files.forEach((node, file) -> poll(node, file, timeline));
                try {
                    Thread.sleep(POLL_MILLIS);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "status-file-observer");
        poller.setDaemon(true);
        poller.start();
    }

    private void poll(String node, Path file, Timeline timeline) {
        JsonNode s = LabDirectorPair.readStatus(file);
        long pid = s.path("pid").asLong(-1);
        boolean gone = pid <= 0 || s.path("stopped").asBoolean(false)
                || !ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
        long at = gone ? System.nanoTime() : s.path("monotonic_ns").asLong(System.nanoTime());
        VRIDS.forEach((instance, vrid) -> {
            VrrpRole now = gone ? VrrpRole.INIT : role(s.path("instances").path(instance).path("state").asText(""));
            if (now == null) {
                return; // a file being replaced, or an instance this drill does not follow
            }
            VrrpRole before = last.put(node + "/" + vrid, now);
            if (timeline != null && before != null && before != now) {
                timeline.record(new TimelineEvent.VrrpTransition(at, node, vrid, before, now));
            }
        });
    }

    static VrrpRole role(String state) {
        return switch (state) {
            case "INITIALIZE", "INIT" -> VrrpRole.INIT;
            case "BACKUP" -> VrrpRole.BACKUP;
            case "MASTER" -> VrrpRole.MASTER;
            case "FAULT" -> VrrpRole.FAULT;
            default -> null;
        };
    }

    @Override
    public void close() {
        running = false;
        Thread t = poller;
        if (t != null) {
            t.interrupt();
            try {
                t.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
