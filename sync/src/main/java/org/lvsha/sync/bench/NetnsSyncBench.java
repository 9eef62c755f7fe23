package org.lvsha.sync.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.lvsha.core.lab.NetnsLab;

/**
 * The sync benchmark between network namespaces: each member is its own JVM in its own namespace on
 * one bridge (198.51.100.0/24), JGroups over real IP multicast, encrypted. Needs root.
 * {@code java -cp … org.lvsha.sync.bench.SyncBench --netns}
 */
final class NetnsSyncBench {
    private NetnsSyncBench() {
    }

    static void run(int events, int rate, int seconds, int stateEntries) throws Exception {
        Path key = Files.createTempFile("lvsha-bench", ".key");
        Files.writeString(key, "netns benchmark key " + System.nanoTime());
        try (NetnsLab lab = NetnsLab.create(NetnsLab.uniquePrefix("sb"))) {
            String br = lab.addBridge("sync");
            lab.exec(br, "ip", "link", "set", "br0", "type", "bridge", "mcast_snooping", "0");
            for (int i = 1; i <= 3; i++) {
                String ns = lab.addHost("n" + i);
                lab.connect(ns, "eth0", "sync", String.format("02:00:5e:03:00:%02x", i));
                lab.exec(ns, "ip", "addr", "add", "198.51.100." + i + "/24", "dev", "eth0");
                lab.exec(ns, "ip", "route", "add", "224.0.0.0/4", "dev", "eth0");
            }
            System.out.println("transport: UDP multicast between network namespaces (veth + bridge), encrypted + HMAC, one JVM per member");
            Member a = Member.start(lab, 1, key);
            Member b = Member.start(lab, 2, key);
            a.expect("ready");
            b.expect("ready");
            long t0 = System.nanoTime();
            a.ask("burst 0 " + events, "done");
            while (Long.parseLong(b.ask("applied", "applied ").substring(8)) < events) {
                Thread.sleep(5);
            }
            double secs = (System.nanoTime() - t0) / 1e9;
            System.out.printf("throughput: %,d events A->B in %.2f s = %,.0f events/s%n", events, secs, events / secs);
            b.ask("resetlag", "reset");
            long before = Long.parseLong(b.ask("applied", "applied ").substring(8));
            a.ask("rate 0 " + rate + " " + seconds, "done");
            while (Long.parseLong(b.ask("applied", "applied ").substring(8)) < before + (long) rate * seconds) {
                Thread.sleep(5);
            }
            System.out.println("lag at " + rate + " events/s for " + seconds + " s: " + b.ask("lag", "lag ").substring(4));
            if (stateEntries > events) {
                a.ask("burst " + events + " " + (stateEntries - events), "done");
            }
            System.out.println("state transfer: A holds " + a.ask("size", "size ").substring(5) + " connections");
            Member c = Member.start(lab, 3, key);
            String ready = c.expect("ready");
            System.out.println("state transfer: joiner JVM " + ready + " (JVM start included); stream itself "
                    + c.ask("state", "state ").substring(6) + " ms");
            if (Boolean.getBoolean("lvsha.bench.protocolStats")) {
                System.out.println("provider: " + a.ask("stats UDP UNICAST3 UFC STATE FRAG4", "stats "));
                System.out.println("joiner:   " + c.ask("stats UDP UNICAST3 UFC STATE FRAG4", "stats "));
            }
            // a clean exit, so that the members' flight recordings (memberOpts) are written
            for (Member m : List.of(c, b, a)) {
                m.ask("quit", "bye");
            }
        } finally {
            Files.deleteIfExists(key);
        }
    }

    private static final class Member {
        final Process process;
        final PrintWriter stdin;
        final BlockingQueue<String> replies = new LinkedBlockingQueue<>();

        Member(Process p) {
            this.process = p;
            this.stdin = new PrintWriter(p.getOutputStream(), true, StandardCharsets.UTF_8);
            Thread t = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                    String l;
                    while ((l = r.readLine()) != null) {
                        if (l.startsWith("@@ ")) {
                            replies.add(l.substring(3));
                        }
                    }
                } catch (IOException e) {
                    // process gone
                }
            });
            t.setDaemon(true);
            t.start();
        }

        static Member start(NetnsLab lab, int host, Path key) throws IOException {
            String java = ProcessHandle.current().info().command().orElse("java");
            List<String> cmd = new ArrayList<>(List.of(java, "-Xmx1g", "-Djava.net.preferIPv4Stack=true",
                    "-Dlogback.configurationFile=" + System.getProperty("logback.configurationFile", "")));
            // e.g. -Dlvsha.bench.memberOpts="-XX:StartFlightRecording=filename=/tmp/m%h.jfr,settings=profile" (%h: 1, 2, 3)
            String opts = System.getProperty("lvsha.bench.memberOpts", "").trim();
            if (!opts.isEmpty()) {
                for (String o : opts.split("\\s+")) {
                    cmd.add(o.replace("%h", Integer.toString(host)));
                }
            }
            cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), SyncBenchMember.class.getName(),
                    "198.51.100." + host, "239.192.81.77", "45677", key.toString()));
            // -Dlvsha.bench.memberLog=/tmp/member: each member's stderr (its log) goes to /tmp/member<N>.log
            String log = System.getProperty("lvsha.bench.memberLog");
            Process p = new ProcessBuilder(NetnsLab.nsCommand(lab.ns("n" + host), cmd.toArray(String[]::new)))
                    .redirectError(log == null ? ProcessBuilder.Redirect.DISCARD
                            : ProcessBuilder.Redirect.to(new java.io.File(log + host + ".log")))
                    .start();
            return new Member(p);
        }

        String expect(String prefix) throws InterruptedException {
            for (int i = 0; i < 1000; i++) {
                String l = replies.poll(120, TimeUnit.SECONDS);
                if (l == null || l.startsWith("failed")) {
                    throw new IllegalStateException("member: " + l);
                }
                if (l.startsWith(prefix)) {
                    return l;
                }
            }
            throw new IllegalStateException("no " + prefix);
        }

        String ask(String command, String prefix) throws InterruptedException {
            stdin.println(command);
            return expect(prefix);
        }
    }
}
