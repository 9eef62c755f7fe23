package org.lvsha.dist.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.lvsha.core.lab.NetnsLab;
import org.lvsha.core.lab.Privileges;
import org.lvsha.core.lab.Shell;
import org.lvsha.dist.lab.AddressPlan;
import org.lvsha.dist.lab.AddressPlan.Net;
import org.lvsha.dist.lab.Lab;
import org.lvsha.dist.lab.RunningLab;

/**
 * Health checks drive the weights of a running director ({@code lvsha run}: the real health engine, the userspace
 * data plane, DR) while a client sends requests through it. The lab has three real servers: rs1 and rs2 serve the
 * web service (wrr, weight 10 each), rs3 is its sorry server. A failure is made where it belongs, on the real
 * server's side: an nft rule in rs1's namespace silently drops the SYNs of the director's health checks to port 80
 * (a hung health endpoint), while the server keeps serving clients and its established connections. So the
 * detection takes the whole {@code interval x fall + timeout} (every failed probe is a timeout), and what the test
 * sees of the data plane is the weight alone:
 * <ol>
 *   <li>rs1's weight goes to 0 within the bound; a long-lived stream held with rs1 keeps streaming (inhibit keeps
 *       the connection entry); new requests all go to rs2;</li>
 *   <li>when the rule goes, rs1 comes back through slow start: the weight climbs in steps, observed in between;</li>
 *   <li>both rs1 and rs2 failing loses the quorum: the sorry server rs3 takes the requests; when they come back the
 *       quorum is regained and the sorry server leaves the table.</li>
 * </ol>
 * No client request fails. (This test found the health policy zeroing the last real server before adding the sorry
 * server, a moment with no destination in which a SYN was dropped; the policy now orders its changes make-before-break.
 * It also showed the userspace data plane making a new destination schedulable before it had resolved its MAC, so a
 * SYN scheduled to the sorry server was dropped as {@code no_neighbour}; {@code DataPlane.apply} now resolves new
 * addresses first, and the test asserts that counter stays 0.)
 */
@Tag("netns")
class HealthWeightsLabTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String SERVICE = "tcp:" + AddressPlan.VIP4 + ":80";
    static final List<String> DIRECTOR_JVM = List.of("-Xms32m", "-Xmx160m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
            "-Dio.netty.allocator.type=unpooled");
    /** Health timing of the service: the bound on detection is INTERVAL x FALL + TIMEOUT = 900 ms. */
    static final Duration INTERVAL = Duration.ofMillis(300);
    static final Duration TIMEOUT = Duration.ofMillis(300);
    static final int FALL = 2;
    static final Duration JITTER = Duration.ofMillis(10);
    /**
     * 1.2 s per step: the test sees the intermediate weights by polling the status (a curl in the director's
     * namespace), and on a loaded machine a poll takes hundreds of ms; 600 ms steps could slip between two polls.
     */
    static final Duration SLOW_START = Duration.ofSeconds(6);
    static final int SLOW_START_STEPS = 5;
    static final int WEIGHT = 10;
    /**
     * What the test adds to the protocol's bound: the status poll that observes the weight (a curl in the director's
     * namespace, tens of ms each, more on a loaded machine), the check loop's lateness (a probe whose timer fires late
     * gets up to one more timeout, see BoundedProbe) and scheduling on a 2-core machine shared with other builds.
     */
    static final Duration MARGIN = Duration.ofMillis(700);
    static final Duration WAIT = Duration.ofSeconds(20);
    static final String NFT_TABLE = "lvsha_test_health";

    static String config() {
        int me = AddressPlan.director(1);
        StringBuilder servers = new StringBuilder();
        for (int i = 1; i <= 2; i++) {
            servers.append("        - {address: ").append(AddressPlan.rip4(i)).append(", port: 80, weight: ").append(WEIGHT)
                    .append(", checks: [{type: http, path: /health}]}\n");
        }
        return """
                node: dir1
                vrrp:
                  instances:
                    - name: vip
                      vrid: %1$d
                      interface: eth0
                      primary: %2$s
                      priority: 150
                      advert-interval: 100ms
                      addresses: ["%3$s/24 label %4$s"]
                    - name: dip
                      vrid: %5$d
                      interface: eth1
                      primary: %6$s
                      priority: 150
                      advert-interval: 100ms
                      addresses: ["%7$s/24 label %8$s"]
                  sync-groups:
                    - {name: lb, instances: [vip, dip]}
                ipvs:
                  backend: userspace
                  outside-interface: eth0
                  inside-interface: eth1
                  services:
                    - protocol: tcp
                      address: %3$s
                      port: 80
                      scheduler: wrr
                      method: dr
                      health:
                        on-failure: inhibit
                        defaults: {interval: %9$dms, timeout: %10$dms, rise: 1, fall: %11$d, retry-delay: %9$dms, jitter: %12$dms}
                        slow-start: %13$dms
                        slow-start-steps: %14$d
                        quorum: {up: %15$d, down: 1}
                        sorry-server: {address: %16$s, port: 80, weight: 1}
                      real-servers:
                %17$s
                admin:
                  listen: 127.0.0.1:9180
                """.formatted(AddressPlan.VRID_VIP, Net.OUTSIDE.v4(me), AddressPlan.VIP4, AddressPlan.VIP_LABEL,
                AddressPlan.VRID_DIP, Net.INSIDE.v4(me), AddressPlan.DIP4, AddressPlan.DIP_LABEL, INTERVAL.toMillis(),
                TIMEOUT.toMillis(), FALL, JITTER.toMillis(), SLOW_START.toMillis(), SLOW_START_STEPS, WEIGHT,
                AddressPlan.rip4(3), servers);
    }

    @Test
    void failedServerGoesToZeroWithinTheBoundKeepsItsConnectionsRampsBackAndQuorumLossSwitchesToTheSorryServer() throws Exception {
        assumeTrue(Privileges.netnsAvailable(), () -> "skipped: " + Privileges.netnsUnavailableReason().orElse(""));
        long testStart = System.nanoTime();
        try (RunningLab lab = RunningLab.start(Lab.dr(3))) {
            Director d = new Director(lab);
            try {
                scenario(lab, d);
            } finally {
                d.stopClients();
                keepLogs(lab);
            }
        }
        System.out.printf("HealthWeightsLabTest: %.1f s wall clock%n", (System.nanoTime() - testStart) / 1e9);
    }

    static void scenario(RunningLab lab, Director d) throws Exception {
        d.prepare();
        d.start();
        d.await("dir1 master with rs1 and rs2 at full weight and no sorry server",
                () -> d.weights().equals(Map.of(rsId(1), WEIGHT, rsId(2), WEIGHT)));

        // A long-lived connection held with rs1 (wrr alternates, so within a few tries one lands there).
        Stream toRs1 = d.streamTo("rs1");
        Traffic traffic = d.traffic();
        traffic.awaitAnswersFrom("rs1", "rs2");

        // 1. rs1's health endpoint hangs (the director's SYNs to port 80 dropped); rs1 still serves clients.
        long failAt = System.nanoTime();
        long failAtEpoch = System.currentTimeMillis();
        d.failHealth(1);
        long failed = System.nanoTime(); // the rule is in place: the nft process (slow under load) has returned
        long failedEpoch = System.currentTimeMillis();
        d.await("rs1 at weight 0", () -> d.weights().getOrDefault(rsId(1), -1) == 0);
        long detected = System.nanoTime();
        Duration detection = Duration.ofNanos(detected - failAt);
        Duration bound = INTERVAL.multipliedBy(FALL).plus(TIMEOUT);
        // The director's own SERVER_DOWN event time, without the status poll's delay (its log's clock is this machine's).
        long downLogged = d.logTimeOf("SERVER_DOWN " + SERVICE + " " + rsId(1), failAtEpoch);
        // For the upper bound, from the rule in place to the director's own SERVER_DOWN time: neither the nft process
        // nor the status polling (each hundreds of ms on a loaded machine) is the director's. Without the log line,
        // from the rule in place to the poll that saw weight 0.
        Duration detectionByDirector = downLogged >= 0 ? Duration.ofMillis(downLogged - failedEpoch) : Duration.ofNanos(detected - failed);
        System.out.printf("rs1 weight 0 seen %d ms after its health endpoint stopped answering (SERVER_DOWN logged after %s, "
                + "%d ms after the rule was in place); bound interval x fall + timeout = %d ms (+ fall x jitter %d ms), "
                + "test margin %d ms%n", detection.toMillis(), downLogged < 0 ? "?" : (downLogged - failAtEpoch) + " ms",
                detectionByDirector.toMillis(), bound.toMillis(), JITTER.multipliedBy(FALL).toMillis(), MARGIN.toMillis());
        // Every failed probe is a timeout: nothing can declare the server down before one has expired. (From before
        // the rule to the poll that saw it: never shorter than the director's own figure.)
        assertThat(detection).as("detection needs at least one probe timeout").isGreaterThanOrEqualTo(TIMEOUT);
        assertThat(detectionByDirector).as("detection within interval x fall + timeout (+ jitter + margin)")
                .isLessThanOrEqualTo(bound.plus(JITTER.multipliedBy(FALL)).plus(MARGIN));
        assertThat(d.weights().get(rsId(2))).as("rs2 untouched").isEqualTo(WEIGHT);

        // New connections go to rs2 only; the stream with rs1 goes on (inhibit: weight 0, the entry stays).
        long linesBefore = toRs1.lastNumber();
        long fromHere = System.nanoTime();
        traffic.awaitAnswers(fromHere, 15);
        Map<String, Integer> whileDown = traffic.answeredBy(fromHere, System.nanoTime());
        assertThat(whileDown).as("requests while rs1 is at weight 0").containsOnlyKeys("rs2");
        d.await("the stream with rs1 goes on", () -> toRs1.lastNumber() >= linesBefore + 10);
        assertThat(toRs1.servers()).as("every line of the stream came from rs1").containsOnly("rs1");
        assertThat(toRs1.alive()).as("stream client still connected").isTrue();

        // 2. rs1 recovers: slow start ramps its weight in steps over SLOW_START.
        long recoverAt = System.nanoTime();
        d.restoreHealth(1);
        List<Integer> ramp = new ArrayList<>();
        // Each change is bracketed by the polls around it: it came after the previous poll began (its answer showed
        // the old weight) and before the poll that showed it ended. So a slow poll widens the brackets instead of
        // shifting a single time stamp, and the ramp's duration is judged from the brackets' far and near ends.
        long firstNonZero = 0;
        long firstNonZeroAfter = 0;
        long full = 0;
        long fullAfter = 0;
        long previousPollStart = recoverAt;
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            long pollStart = System.nanoTime();
            int w = d.weights().getOrDefault(rsId(1), -1);
            long now = System.nanoTime();
            if (w > 0 && firstNonZero == 0) {
                firstNonZero = now;
                firstNonZeroAfter = previousPollStart;
            }
            if (w > 0 && (ramp.isEmpty() || ramp.get(ramp.size() - 1) != w)) {
                ramp.add(w);
            }
            if (w == WEIGHT) {
                full = now;
                fullAfter = previousPollStart;
                break;
            }
            previousPollStart = pollStart;
        }
        System.out.printf("rs1 recovery: first weight after %d ms, weights seen %s, full weight %d ms after the first step%n",
                (firstNonZero - recoverAt) / 1_000_000, ramp, (full - firstNonZero) / 1_000_000);
        assertThat(full).as("rs1 back at full weight within " + WAIT).isNotZero();
        assertThat(ramp).as("weights rise in steps").isSorted();
        assertThat(ramp.subList(0, ramp.size() - 1)).as("intermediate slow-start weights observed")
                .hasSizeGreaterThanOrEqualTo(2).allMatch(w -> w > 0 && w < WEIGHT && w % (WEIGHT / SLOW_START_STEPS) == 0);
        // The full weight comes at step SLOW_START_STEPS, (steps - 1) / steps of the period after the first step.
        Duration rampedAtMost = Duration.ofNanos(full - firstNonZeroAfter);
        Duration rampedAtLeast = Duration.ofNanos(fullAfter - firstNonZero);
        System.out.printf("rs1 ramp between %d and %d ms by the polls' brackets%n", rampedAtLeast.toMillis(), rampedAtMost.toMillis());
        Duration stepsTime = SLOW_START.multipliedBy(SLOW_START_STEPS - 1).dividedBy(SLOW_START_STEPS);
        assertThat(rampedAtMost).as("ramp duration, at most").isGreaterThanOrEqualTo(stepsTime.minus(SLOW_START.dividedBy(SLOW_START_STEPS)));
        assertThat(rampedAtLeast).as("ramp duration, at least")
                .isLessThanOrEqualTo(stepsTime.plus(MARGIN).plus(SLOW_START.dividedBy(SLOW_START_STEPS)));
        long afterRamp = System.nanoTime();
        traffic.awaitAnswers(afterRamp, 10);
        assertThat(traffic.answeredBy(afterRamp, System.nanoTime())).as("requests after the ramp").containsKeys("rs1", "rs2");

        // 3. Both real servers fail: quorum (live weight >= 1) is lost and the sorry server takes the requests.
        long quorumFailAt = System.nanoTime();
        d.failHealth(1);
        d.failHealth(2);
        d.await("quorum lost: sorry server rs3 in the table, rs1 and rs2 at 0",
                () -> d.weights().equals(Map.of(rsId(1), 0, rsId(2), 0, rsId(3), 1)));
        System.out.printf("quorum lost, sorry server in the table %d ms after both health endpoints stopped answering%n",
                (System.nanoTime() - quorumFailAt) / 1_000_000);
        long sorryFrom = System.nanoTime();
        traffic.awaitAnswers(sorryFrom, 10);
        assertThat(traffic.answeredBy(sorryFrom, System.nanoTime())).as("requests while quorum is lost").containsOnlyKeys("rs3");
        long sorryNoNeighbour = d.dataplaneCounter("no_neighbour");

        long regainAt = System.nanoTime();
        d.restoreHealth(1);
        d.restoreHealth(2);
        d.await("quorum regained: sorry server out of the table, rs1 and rs2 back",
                () -> {
                    Map<String, Integer> w = d.weights();
                    return !w.containsKey(rsId(3)) && w.getOrDefault(rsId(1), 0) > 0 && w.getOrDefault(rsId(2), 0) > 0;
                });
        System.out.printf("quorum regained, sorry server out %d ms after the health endpoints answered again%n",
                (System.nanoTime() - regainAt) / 1_000_000);
        long backFrom = System.nanoTime();
        traffic.awaitAnswers(backFrom, 10);
        Map<String, Integer> back = traffic.answeredBy(backFrom, System.nanoTime());
        assertThat(back).as("requests after quorum is regained").doesNotContainKey("rs3").doesNotContainKey("FAIL");
        assertThat(back.keySet()).as("requests after quorum is regained").isNotEmpty();

        // Clients never lost their server: no request failed, not even while switching to the sorry server, which the
        // director had never talked to before (it has no checks): its MAC is resolved before it is installed.
        assertThat(traffic.answeredBy(0, Long.MAX_VALUE)).as("requests during the whole run").doesNotContainKey("FAIL");
        assertThat(sorryNoNeighbour).as("SYNs dropped for want of a real server's MAC").isZero();
        assertThat(toRs1.servers()).containsOnly("rs1");

        // The same story on dir1's notify stream, in order, and in its metrics.
        String rs1 = SERVICE + " " + rsId(1);
        String rs2 = SERVICE + " " + rsId(2);
        List<String> health = new ArrayList<>();
        d.await("the notify stream carries the quorum's return", () -> {
            try {
                health.clear();
                d.events().stream().filter(e -> e.startsWith("health/")).forEach(health::add);
                return health.contains("health/QUORUM_REGAINED " + SERVICE);
            } catch (IOException e) {
                return false;
            }
        });
        System.out.println("dir1 notify stream: " + d.events());
        assertThat(d.events()).as("VRRP transitions on the same stream").anyMatch(e -> e.startsWith("vrrp/TRANSITION") && e.endsWith(" MASTER"));
        assertThat(health).containsSubsequence("health/SERVER_DOWN " + rs1, "health/SERVER_UP " + rs1,
                "health/SERVER_DOWN " + rs1, "health/QUORUM_LOST " + SERVICE, "health/QUORUM_REGAINED " + SERVICE);
        assertThat(health).containsSubsequence("health/SERVER_DOWN " + rs2, "health/QUORUM_LOST " + SERVICE);
        assertThat(d.metric("lvsha_health_events_total{kind=\"QUORUM_LOST\"}")).isEqualTo(1.0);
        assertThat(d.metric("lvsha_health_events_total{kind=\"SERVER_DOWN\"}"))
                .isEqualTo((double) health.stream().filter(e -> e.startsWith("health/SERVER_DOWN ")).count());
    }

    static String rsId(int i) {
        return AddressPlan.rip4(i) + ":80";
    }

    /** The lab's log directory goes with it; the director's log is worth reading after a run. */
    static void keepLogs(RunningLab lab) {
        Path into = Path.of("target", "health-weights-lab");
        try {
            Files.createDirectories(into);
            try (var files = Files.list(lab.logDir())) {
                for (Path f : files.filter(Files::isRegularFile).toList()) {
                    Files.copy(f, into.resolve(f.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } catch (IOException e) {
            System.err.println("could not keep the lab logs: " + e);
        }
    }

    /** The director dir1, its status, and the client-side processes of the test (streams, request loop). */
    static final class Director {
        final RunningLab lab;
        final List<Process> clients = new ArrayList<>();

        Director(RunningLab lab) {
            this.lab = lab;
        }

        void prepare() {
            // The data plane forwards frames, not veth's 64 KiB super-frames (see DataplaneLab).
            for (String h : List.of("client", "rs1", "rs2", "rs3")) {
                lab.netns().exec(lab.topology().ns(h), "ethtool", "-K", "eth0", "tso", "off", "gso", "off", "gro", "off");
            }
        }

        void start() throws IOException {
            Path cfg = lab.logDir().resolve("dir1.yaml");
            Files.writeString(cfg, config());
            lab.spawn("dir1", DIRECTOR_JVM, List.of("run", "--config", cfg.toString(),
                    "--run-dir", lab.logDir().resolve("run").toString(), "--events-file", eventsFile().toString()));
        }

        String ns(String host) {
            return lab.topology().ns(host);
        }

        /** dir1's notify stream, one JSON object per line. */
        Path eventsFile() {
            return lab.logDir().resolve("dir1-events.jsonl");
        }

        /** {@code source/event service server} of each notify stream line, e.g. {@code health/SERVER_DOWN tcp:... 192.0.2.11:80}. */
        List<String> events() throws IOException {
            List<String> out = new ArrayList<>();
            if (!Files.exists(eventsFile())) {
                return out;
            }
            for (String line : Files.readAllLines(eventsFile(), StandardCharsets.UTF_8)) {
                JsonNode n = JSON.readTree(line);
                out.add(n.path("source").asText() + "/" + n.path("event").asText()
                        + (n.has("service") ? " " + n.get("service").asText() : "") + (n.has("server") ? " " + n.get("server").asText() : "")
                        + (n.has("state") ? " " + n.get("name").asText() + " " + n.get("state").asText() : ""));
            }
            return out;
        }

        /** A sample of dir1's Prometheus exposition, by its full name with labels; -1 if absent. */
        double metric(String nameWithLabels) {
            Shell.Result r = lab.netns().tryExec(ns("dir1"), Duration.ofSeconds(15), "curl", "-s", "-m", "10",
                    "http://127.0.0.1:9180/metrics");
            for (String line : r.stdout().split("\n")) {
                if (line.startsWith(nameWithLabels + " ")) {
                    return Double.parseDouble(line.substring(nameWithLabels.length() + 1).trim());
                }
            }
            return -1;
        }

        /** Drops the SYNs of dir1's health checks (from its inside address or the DIP) to rs{@code i}'s port 80. */
        void failHealth(int i) throws IOException {
            String script = String.format(java.util.Locale.ROOT, """
                    table inet %1$s {
                      chain input {
                        type filter hook input priority -300; policy accept;
                        ip saddr { %2$s, %3$s } tcp dport 80 tcp flags & (syn | ack) == syn drop
                      }
                    }
                    """, NFT_TABLE, Net.INSIDE.v4(AddressPlan.director(1)), AddressPlan.DIP4);
            Path file = lab.logDir().resolve("fail-rs" + i + ".nft");
            Files.writeString(file, script);
            lab.netns().exec(ns("rs" + i), "nft", "-f", file.toString());
        }

        void restoreHealth(int i) {
            lab.netns().exec(ns("rs" + i), "nft", "delete", "table", "inet", NFT_TABLE);
        }

        /** A counter of dir1's data plane from its status ({@code no_neighbour}, ...). */
        long dataplaneCounter(String name) {
            return status().path("dataplane").path(name).asLong(-1);
        }

        /**
         * Epoch milliseconds of the first line of dir1's log at or after {@code notBeforeEpochMillis} that contains
         * {@code text}, from its {@code HH:mm:ss.SSS} time stamp (the machine's zone, today); -1 if none.
         */
        long logTimeOf(String text, long notBeforeEpochMillis) {
            java.time.ZoneId zone = java.time.ZoneId.systemDefault();
            java.time.LocalDate day = java.time.Instant.ofEpochMilli(notBeforeEpochMillis).atZone(zone).toLocalDate();
            try {
                for (String line : Files.readAllLines(lab.logDir().resolve("dir1.log"), StandardCharsets.UTF_8)) {
                    if (line.contains(text) && line.length() > 12) {
                        long at = java.time.LocalTime.parse(line.substring(0, 12)).atDate(day).atZone(zone).toInstant().toEpochMilli();
                        if (at >= notBeforeEpochMillis) {
                            return at;
                        }
                    }
                }
            } catch (IOException | java.time.DateTimeException e) {
                return -1;
            }
            return -1;
        }

        JsonNode status() {
            // 10 s: one-shot reads (rs2's weight) must not come back empty because a loaded machine was slow.
            Shell.Result r = lab.netns().tryExec(ns("dir1"), Duration.ofSeconds(15), "curl", "-s", "-m", "10",
                    "http://127.0.0.1:9180/status");
            try {
                return r.ok() && !r.stdout().isBlank() ? JSON.readTree(r.stdout()) : JSON.createObjectNode();
            } catch (IOException e) {
                return JSON.createObjectNode();
            }
        }

        /**
         * The data plane's table of the web service (server → weight) once dir1 is master and health checking drives
         * it; empty before.
         */
        Map<String, Integer> weights() {
            JsonNode s = status();
            Map<String, Integer> w = new LinkedHashMap<>();
            if (!"MASTER".equals(s.path("instances").path("vip").path("state").asText())) {
                return w;
            }
            for (JsonNode svc : s.path("table")) {
                if (svc.path("service").asText().equals(SERVICE)) {
                    for (JsonNode rs : svc.path("real_servers")) {
                        w.put(rs.path("server").asText(), rs.path("weight").asInt());
                    }
                }
            }
            return w;
        }

        /** A {@code GET /stream} through the VIP that landed on {@code server} (a few tries, the others closed). */
        Stream streamTo(String server) throws Exception {
            for (int attempt = 0; attempt < 8; attempt++) {
                Path out = lab.logDir().resolve("stream-" + attempt + ".out");
                Process p = clientProcess(out, "curl", "-sN", "--no-buffer", "http://" + AddressPlan.VIP4 + "/stream?interval=50");
                Stream s = new Stream(p, out);
                String first = s.awaitFirstServer(Duration.ofSeconds(5));
                if (server.equals(first)) {
                    return s;
                }
                p.destroyForcibly();
            }
            throw new AssertionError("no stream through " + AddressPlan.VIP4 + " landed on " + server + " in 8 tries");
        }

        /**
         * Requests through the VIP from the client, one at a time with a short pause, each logged as
         * {@code <epoch ms> <server or FAIL>}; bounded in count (and destroyed at the end of the test).
         */
        Traffic traffic() throws IOException {
            Path out = lab.logDir().resolve("traffic.out");
            String loop = "i=0; while [ $i -lt 3000 ]; do t=$(date +%s%3N); r=$(curl -s -m 1 http://" + AddressPlan.VIP4
                    + "/) || r=FAIL; [ -n \"$r\" ] || r=FAIL; echo \"$t $r\"; i=$((i+1)); sleep 0.02; done";
            return new Traffic(clientProcess(out, "sh", "-c", loop), out);
        }

        Process clientProcess(Path out, String... command) throws IOException {
            Process p = new ProcessBuilder(NetnsLab.nsCommand(ns("client"), command))
                    .redirectOutput(out.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            clients.add(p);
            return p;
        }

        void stopClients() {
            clients.forEach(Process::destroyForcibly);
        }

        void await(String what, BooleanSupplier condition) {
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (!condition.getAsBoolean()) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("timed out waiting for " + what + "; dir1 status: " + status()
                            + "\nlogs in " + lab.logDir() + ":\n" + lab.logTails(25));
                }
                sleep(10);
            }
        }
    }

    /** A streaming curl's output: lines {@code <server> <n>}, numbered by the real server every interval. */
    record Stream(Process process, Path out) {
        List<String[]> lines() {
            try {
                return Files.readAllLines(out, StandardCharsets.UTF_8).stream().map(String::strip).filter(l -> !l.isEmpty())
                        .map(l -> l.split(" ")).filter(f -> f.length == 2).toList();
            } catch (IOException e) {
                return List.of();
            }
        }

        String awaitFirstServer(Duration timeout) {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                List<String[]> l = lines();
                if (!l.isEmpty()) {
                    return l.get(0)[0];
                }
                sleep(20);
            }
            return null;
        }

        long lastNumber() {
            List<String[]> l = lines();
            return l.isEmpty() ? -1 : Long.parseLong(l.get(l.size() - 1)[1]);
        }

        List<String> servers() {
            return lines().stream().map(f -> f[0]).distinct().toList();
        }

        boolean alive() {
            return process.isAlive();
        }
    }

    /** The request loop's log. Times are the client's wall clock, compared with the test's (same machine). */
    record Traffic(Process process, Path out) {
        record Answer(long epochMillis, String server) {
        }

        List<Answer> answers() {
            List<Answer> a = new ArrayList<>();
            try {
                for (String l : Files.readAllLines(out, StandardCharsets.UTF_8)) {
                    String[] f = l.strip().split(" ");
                    if (f.length == 2) {
                        a.add(new Answer(Long.parseLong(f[0]), f[1]));
                    }
                }
            } catch (IOException | NumberFormatException e) {
                // a line being written: read again later
            }
            return a;
        }

        /** Servers that answered requests started between two {@link System#nanoTime()} instants, with counts. */
        Map<String, Integer> answeredBy(long fromNanos, long toNanos) {
            long from = toEpochMillis(fromNanos);
            long to = toEpochMillis(toNanos);
            Map<String, Integer> by = new LinkedHashMap<>();
            for (Answer a : answers()) {
                if (a.epochMillis() >= from && a.epochMillis() <= to) {
                    by.merge(a.server(), 1, Integer::sum);
                }
            }
            return by;
        }

        void awaitAnswers(long fromNanos, int count) {
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (answeredBy(fromNanos, Long.MAX_VALUE).values().stream().mapToInt(Integer::intValue).sum() < count) {
                assertThat(process.isAlive()).as("request loop running").isTrue();
                assertThat(System.nanoTime()).as(count + " requests within " + WAIT).isLessThan(deadline);
                sleep(20);
            }
        }

        void awaitAnswersFrom(String... servers) {
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (!answeredBy(0, Long.MAX_VALUE).keySet().containsAll(List.of(servers))) {
                assertThat(System.nanoTime()).as("answers from " + List.of(servers) + " within " + WAIT).isLessThan(deadline);
                sleep(20);
            }
        }

        static long toEpochMillis(long nanos) {
            if (nanos == 0 || nanos == Long.MAX_VALUE) {
                return nanos == 0 ? 0 : Long.MAX_VALUE;
            }
            return System.currentTimeMillis() - (System.nanoTime() - nanos) / 1_000_000;
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
