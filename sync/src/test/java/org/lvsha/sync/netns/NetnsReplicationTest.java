package org.lvsha.sync.netns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.lvsha.core.lab.NetnsLab;
import org.lvsha.core.lab.Privileges;

/**
 * Sync members as separate JVMs in separate network namespaces on one bridge (198.51.100.0/24, the
 * lab's spare network), talking JGroups over real IP multicast.
 */
@Tag("netns")
class NetnsReplicationTest {
    static final Duration READY = Duration.ofSeconds(40);
    static NetnsLab lab;
    static Path dir;
    static Path goodKey;
    static Path otherKey;

    @BeforeAll
    static void lab() throws Exception {
        assumeTrue(Privileges.netnsAvailable(), () -> "skipped: " + Privileges.netnsUnavailableReason().orElse(""));
        lab = NetnsLab.create(NetnsLab.uniquePrefix("sy"));
        String bridge = lab.addBridge("sync");
        lab.exec(bridge, "ip", "link", "set", "br0", "type", "bridge", "mcast_snooping", "0");
        for (int i = 1; i <= 4; i++) {
            String ns = lab.addHost("n" + i);
            lab.connect(ns, "eth0", "sync", String.format("02:00:5e:03:00:%02x", i));
            lab.exec(ns, "ip", "addr", "add", "198.51.100." + i + "/24", "dev", "eth0");
            // multicast leaves through the sync link (no default route in a namespace)
            lab.exec(ns, "ip", "route", "add", "224.0.0.0/4", "dev", "eth0");
        }
        dir = Files.createTempDirectory("lvsha-sync-netns");
        goodKey = dir.resolve("good.key");
        Files.writeString(goodKey, "shared secret of the director pair\n");
        otherKey = dir.resolve("other.key");
        Files.writeString(otherKey, "some other cluster's secret\n");
    }

    @AfterAll
    static void teardown() {
        if (lab != null) {
            lab.close();
        }
    }

    static Path logs() {
        return Path.of("target", "netns-logs");
    }

    static SyncNodeProcess node(String name, int host, String group, int port, int syncId, Path key) {
        return SyncNodeProcess.start(name, lab.ns("n" + host), logs(), "198.51.100." + host, group, String.valueOf(port),
                "pair", String.valueOf(syncId), key.toString());
    }

    @Test
    void entriesFlowBothWaysAKilledNodeGetsTheFullTableBackBeforeItIsReadyAndAPartitionHeals() throws Exception {
        String group = "239.192.81.1";
        int port = 45581;
        try (SyncNodeProcess a = node("a", 1, group, port, 1, goodKey);
             SyncNodeProcess b = node("b", 2, group, port, 1, goodKey)) {
            assertThat(a.expect("ready", READY)).contains("size=0");
            b.expect("ready", READY);
            a.ask("create 0 20000", "created");
            b.ask("create 100000 5000", "created");
            assertThat(b.awaitSize(25_000, Duration.ofSeconds(20))).isEqualTo(25_000);
            assertThat(a.awaitSize(25_000, Duration.ofSeconds(20))).isEqualTo(25_000);
            assertThat(b.ask("has 19999", "has")).endsWith("true");
            String metrics = b.ask("metrics", "metrics");
            System.out.println("b after 20000 events from a: " + metrics);

            a.kill();
            b.ask("create 200000 1000", "created"); // the table moves on while a is down
            try (SyncNodeProcess a2 = node("a-restarted", 1, group, port, 1, goodKey)) {
                String ready = a2.expect("ready", READY);
                // the killed incarnation may still be in the view for a moment (until FD_SOCK2/VERIFY_SUSPECT2 remove it)
                assertThat(ready).as("the restarted node holds the whole table when it reports ready").contains("size=26000");
                assertThat(a2.ask("has 200999", "has")).endsWith("true");
                b.ask("create 300000 10", "created");
                assertThat(a2.awaitSize(26_010, Duration.ofSeconds(20))).isEqualTo(26_010);

                // the sync link of a goes down: b carries on alone, then the link returns
                lab.exec(lab.ns("n1"), "ip", "link", "set", "eth0", "down");
                String alone = b.ask("members", "members");
                for (int i = 0; i < 300 && !alone.equals("members 1"); i++) {
                    Thread.sleep(100);
                    alone = b.ask("members", "members");
                }
                assertThat(alone).as("b noticed the partition").isEqualTo("members 1");
                b.ask("create 400000 500", "created"); // a misses these
                a2.ask("create 500000 300", "created"); // b misses these
                lab.exec(lab.ns("n1"), "ip", "link", "set", "eth0", "up");
                lab.exec(lab.ns("n1"), "ip", "route", "replace", "224.0.0.0/4", "dev", "eth0");
                assertThat(a2.awaitSize(26_810, Duration.ofSeconds(40))).as("a caught up after the merge").isEqualTo(26_810);
                assertThat(b.awaitSize(26_810, Duration.ofSeconds(20))).as("b caught up after the merge").isEqualTo(26_810);
            }
        }
    }

    @Test
    void aNodeWithTheWrongKeyIsRefusedAndGetsNothingNorInjectsAnything() throws Exception {
        String group = "239.192.81.2";
        int port = 45582;
        try (SyncNodeProcess a = node("key-a", 1, group, port, 1, goodKey);
             SyncNodeProcess b = node("key-b", 2, group, port, 1, goodKey)) {
            a.expect("ready", READY);
            b.expect("ready", READY);
            a.ask("create 0 1000", "created");
            assertThat(b.awaitSize(1000, Duration.ofSeconds(20))).isEqualTo(1000);
            try (SyncNodeProcess intruder = node("key-intruder", 3, group, port, 1, otherKey)) {
                // the readiness gate itself refuses: never "ready" alone beside a cluster with another key
                String failed = intruder.expect("failed", READY);
                assertThat(failed).contains("SyncKeyRefusedException").contains("refused by the cluster").contains("another key");
                assertThat(intruder.ask("metrics", "metrics")).contains("refused=true").contains("ready=false");
                intruder.ask("create 5000 100", "created");
                a.ask("create 1000 1", "created"); // a message the intruder would see if it could read
                assertThat(b.awaitSize(1001, Duration.ofSeconds(20))).isEqualTo(1001);
                assertThat(intruder.size()).as("only its own").isEqualTo(100);
                String seen = intruder.ask("metrics", "metrics");
                for (int i = 0; i < 100 && !seen.contains("refused=true"); i++) {
                    Thread.sleep(100);
                    a.ask("create 1000 1", "created");
                    seen = intruder.ask("metrics", "metrics");
                }
                assertThat(seen).as("the intruder knows it was refused").contains("refused=true");
                assertThat(intruder.ask("has 1000", "has")).endsWith("false");
                assertThat(a.ask("has 5000", "has")).endsWith("false");
                assertThat(b.ask("has 5000", "has")).endsWith("false");
                assertThat(a.ask("members", "members")).isEqualTo("members 2");
                // the intruder's JOIN requests went to the coordinator (a or b, whichever joined first) and were refused there
                String ma = a.ask("metrics", "metrics");
                String mb = b.ask("metrics", "metrics");
                assertThat(Long.parseLong(ma.replaceAll(".*wrongKey=(\\d+).*", "$1")) + Long.parseLong(mb.replaceAll(".*wrongKey=(\\d+).*", "$1")))
                        .as(ma + " / " + mb).isPositive();
                assertThat(ma).as("the cluster's members are not the refused ones").contains("refused=false").contains("ready=true");
                assertThat(mb).contains("refused=false").contains("ready=true");
            }
        }
    }

    @Test
    void twoSyncIdsOnOneSegmentDoNotMix() throws Exception {
        try (SyncNodeProcess a1 = node("id1-a", 1, "239.192.81.11", 45591, 11, goodKey);
             SyncNodeProcess b1 = node("id1-b", 2, "239.192.81.11", 45591, 11, goodKey);
             SyncNodeProcess a2 = node("id2-a", 3, "239.192.81.12", 45592, 12, goodKey);
             SyncNodeProcess b2 = node("id2-b", 4, "239.192.81.12", 45592, 12, goodKey)) {
            for (SyncNodeProcess n : new SyncNodeProcess[] {a1, b1, a2, b2}) {
                n.expect("ready", READY);
            }
            a1.ask("create 0 1000", "created");
            a2.ask("create 50000 500", "created");
            assertThat(b1.awaitSize(1000, Duration.ofSeconds(20))).isEqualTo(1000);
            assertThat(b2.awaitSize(500, Duration.ofSeconds(20))).isEqualTo(500);
            assertThat(b1.ask("has 50000", "has")).endsWith("false");
            assertThat(b2.ask("has 0", "has")).endsWith("false");
            assertThat(b1.ask("members", "members")).isEqualTo("members 2");
            assertThat(b2.ask("members", "members")).isEqualTo("members 2");
        }
    }
}
