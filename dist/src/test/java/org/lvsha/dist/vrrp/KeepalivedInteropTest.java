package org.lvsha.dist.vrrp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.lvsha.core.lab.Privileges;
import org.lvsha.core.lab.Shell;
import org.lvsha.dist.lab.AddressPlan;
import org.lvsha.dist.lab.AddressPlan.Net;
import org.lvsha.dist.lab.Lab;
import org.lvsha.dist.vrrp.VrrpLab.Node;

/**
 * lvsha (dir1) against keepalived 2.2 (dir2) on one segment, every combination at once in one lab: each case
 * is a pair of virtual routers, one where lvsha has the higher priority and one where keepalived has, so
 * both directions of "lvsha master / keepalived backup" run side by side in one lvsha process and one
 * keepalived process. Cases: VRRPv3 IPv4 multicast at 100 ms, VRRPv2 IPv4 with a PASS password at 1 s,
 * VRRPv3 IPv6 multicast at 100 ms, VRRPv3 IPv4 unicast at 100 ms. Then keepalived stops gracefully and lvsha
 * takes over the rest.
 */
@Tag("netns")
class KeepalivedInteropTest {
    /** A pair of virtual routers of one kind; VRIDs {@code vrid} (lvsha higher) and {@code vrid + 1} (keepalived higher). */
    record Case(String name, int vrid, int version, boolean ipv6, boolean unicast, int advertMs, String password) {
    }

    static final List<Case> CASES = List.of(
            new Case("v3mc", 61, 3, false, false, 100, null),
            new Case("v2pass", 63, 2, false, false, 1000, "s3cret"),
            new Case("v6mc", 65, 3, true, false, 100, null),
            new Case("v3uc", 67, 3, false, true, 100, null));
    static final int HIGH = 150;
    static final int LOW = 100;
    static final Duration WAIT = Duration.ofSeconds(20);
    /** What keepalived says about adverts it does not like (vrrp.c receive checks). */
    static final Pattern COMPLAINT = Pattern.compile(
            "(?i)checksum|ttl|hop ?limit|passw|auth|interval|ip address associated|address list|invalid|bogus|mismatch|wrong|discard|malformed");

    static boolean keepalivedInstalled() {
        return Shell.tryRun("keepalived", "--version").ok() || Shell.tryRun("sh", "-c", "command -v keepalived").ok();
    }

    static String vip(Case c, int vrid) {
        return c.ipv6() ? Net.OUTSIDE.v6(vrid + 100) : Net.OUTSIDE.v4(vrid + 100);
    }

    static String linkLocal(VrrpLab lab, String host) {
        String[] found = new String[1];
        VrrpLab.await(Duration.ofSeconds(10), () -> {
            String out = lab.exec(host, "ip", "-6", "-o", "addr", "show", "dev", "eth0", "scope", "link");
            Matcher m = Pattern.compile("inet6 (fe80::[0-9a-f:]+)/64").matcher(out);
            if (m.find() && !out.contains("tentative")) {
                found[0] = m.group(1);
                return true;
            }
            return false;
        }, () -> host + " link-local address");
        return found[0];
    }

    static String lvshaConfig(String lvshaLinkLocal) {
        StringBuilder b = new StringBuilder("instances:\n");
        for (Case c : CASES) {
            for (int k = 0; k < 2; k++) {
                int vrid = c.vrid() + k;
                String primary = c.ipv6() ? lvshaLinkLocal : Net.OUTSIDE.v4(AddressPlan.DIR1);
                b.append("  - name: ").append(c.name()).append(k == 0 ? "-lvsha-high" : "-ka-high").append('\n')
                        .append("    vrid: ").append(vrid).append('\n')
                        .append("    version: ").append(c.version()).append('\n')
                        .append("    interface: eth0\n")
                        .append("    primary: ").append(primary).append('\n')
                        .append("    priority: ").append(k == 0 ? HIGH : LOW).append('\n')
                        .append("    advert-interval: ").append(c.advertMs()).append("ms\n")
                        .append("    addresses: [\"").append(vip(c, vrid)).append(c.ipv6() ? "/64" : "/24 label eth0:" + vrid).append("\"]\n");
                if (c.password() != null) {
                    b.append("    auth-password: ").append(c.password()).append('\n');
                }
                if (c.unicast()) {
                    b.append("    unicast-peers: [").append(Net.OUTSIDE.v4(AddressPlan.DIR2)).append("]\n");
                }
            }
        }
        return b.toString();
    }

    static String keepalivedConfig() {
        StringBuilder b = new StringBuilder("global_defs {\n  router_id lvsha-interop\n  vrrp_garp_master_repeat 1\n}\n");
        for (Case c : CASES) {
            for (int k = 0; k < 2; k++) {
                int vrid = c.vrid() + k;
                b.append("vrrp_instance ").append(c.name()).append(k == 0 ? "_lvsha_high" : "_ka_high").append(" {\n")
                        .append("  state BACKUP\n  interface eth0\n")
                        .append("  virtual_router_id ").append(vrid).append('\n')
                        .append("  version ").append(c.version()).append('\n')
                        .append("  priority ").append(k == 0 ? LOW : HIGH).append('\n')
                        .append("  advert_int ").append(c.advertMs() / 1000.0).append('\n')
                        .append("  virtual_ipaddress {\n    ").append(vip(c, vrid)).append(c.ipv6() ? "/64" : "/24").append("\n  }\n");
                if (c.password() != null) {
                    b.append("  authentication {\n    auth_type PASS\n    auth_pass ").append(c.password()).append("\n  }\n");
                }
                if (c.unicast()) {
                    b.append("  unicast_src_ip ").append(Net.OUTSIDE.v4(AddressPlan.DIR2)).append('\n')
                            .append("  unicast_peer {\n    ").append(Net.OUTSIDE.v4(AddressPlan.DIR1)).append("\n  }\n");
                }
                b.append("}\n");
            }
        }
        return b.toString();
    }

    /** keepalived's latest "(NAME) Entering STATE STATE" per instance. */
    static Map<String, String> keepalivedStates(Path log) throws Exception {
        Map<String, String> states = new LinkedHashMap<>();
        Matcher m = Pattern.compile("\\((\\w+)\\) Entering (\\w+) STATE").matcher(Files.readString(log));
        while (m.find()) {
            states.put(m.group(1), m.group(2));
        }
        return states;
    }

    @Test
    void lvshaAndKeepalivedElectTheHigherPriorityInEveryVersionFamilyAndModeWithoutComplaints() throws Exception {
        assumeTrue(Privileges.netnsAvailable(), () -> "skipped: " + Privileges.netnsUnavailableReason().orElse(""));
        assumeTrue(keepalivedInstalled(), "skipped: keepalived is not installed (scripts/setup installs it)");
        try (VrrpLab lab = VrrpLab.create("vk", Lab.dr(1).withIpv6())) {
            Path conf = lab.dir().resolve("keepalived.conf");
            Path kaLog = lab.dir().resolve("keepalived.log");
            Files.writeString(conf, keepalivedConfig());
            Node lvsha = lab.start("dir1", lvshaConfig(linkLocal(lab, "dir1")));
            Process ka = lab.netns().spawn(lab.ns("dir2"), List.of("keepalived", "--dont-fork", "--log-console", "--log-detail",
                    "--no-syslog", "--vrrp", "-f", conf.toString(), "-p", lab.dir().resolve("ka.pid").toString(),
                    "-r", lab.dir().resolve("ka-vrrp.pid").toString(), "-c", lab.dir().resolve("ka-check.pid").toString()),
                    kaLog.toFile());
            try {
                List<String> problems = new ArrayList<>();
                for (Case c : CASES) {
                    lvsha.awaitState(c.name() + "-lvsha-high", "MASTER", WAIT);
                    lvsha.awaitState(c.name() + "-ka-high", "BACKUP", WAIT);
                }
                VrrpLab.await(WAIT, () -> {
                    try {
                        Map<String, String> s = keepalivedStates(kaLog);
                        return CASES.stream().allMatch(c -> "BACKUP".equals(s.get(c.name() + "_lvsha_high"))
                                && "MASTER".equals(s.get(c.name() + "_ka_high")));
                    } catch (Exception e) {
                        return false;
                    }
                }, () -> "keepalived: lvsha-high instances BACKUP, ka-high MASTER; log:\n" + tail(kaLog));
                // Let both sides exchange adverts a while (three 1 s VRRPv2 intervals) with the roles settled.
                long since = System.nanoTime();
                VrrpLab.await(Duration.ofSeconds(10), () -> System.nanoTime() - since > 3_200_000_000L, () -> "time");
                for (Case c : CASES) {
                    // No flapping: lvsha kept its roles, and it follows keepalived's master in the ka-high router.
                    if (!"MASTER".equals(lvsha.state(c.name() + "-lvsha-high")) || !"BACKUP".equals(lvsha.state(c.name() + "-ka-high"))) {
                        problems.add(c + ": lvsha states " + lvsha.status().path("instances"));
                    }
                    int master = lvsha.status().path("instances").path(c.name() + "-ka-high").path("master_priority").asInt();
                    if (master != HIGH) {
                        problems.add(c + ": lvsha sees master priority " + master);
                    }
                    String holder = lab.exec("dir2", "ip", "-o", "addr", "show", "dev", "eth0");
                    if (!holder.contains(" " + vip(c, c.vrid() + 1) + "/") || holder.contains(" " + vip(c, c.vrid()) + "/")) {
                        problems.add(c + ": keepalived's addresses " + holder);
                    }
                }
                assertThat(lvsha.status().path("counters").path("rejected").toString())
                        .as("lvsha rejected some of keepalived's adverts").matches("\\{(\"\\w+\":0,?)+}");
                List<String> complaints = Files.readAllLines(kaLog).stream().filter(l -> COMPLAINT.matcher(l).find()).toList();
                assertThat(complaints).as("keepalived complaints about lvsha's adverts, log in " + kaLog).isEmpty();
                assertThat(problems).isEmpty();
                assertThat(lvsha.status().path("counters").path("received").asLong()).isPositive();

                // keepalived stops gracefully (priority 0): lvsha takes every ka-high router over.
                Shell.run("kill", "-TERM", String.valueOf(ka.pid()));
                for (Case c : CASES) {
                    lvsha.awaitState(c.name() + "-ka-high", "MASTER", WAIT);
                }
                assertThat(lvsha.status().path("counters").path("priority0_received").asLong()).isPositive();
            } finally {
                ka.destroy();
                if (!ka.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
                    ka.destroyForcibly();
                }
                System.out.println("keepalived log tail:\n" + tail(kaLog));
            }
        }
    }

    static String tail(Path p) {
        try {
            String s = Files.readString(p);
            return s.length() > 4000 ? s.substring(s.length() - 4000) : s;
        } catch (Exception e) {
            return "";
        }
    }
}
