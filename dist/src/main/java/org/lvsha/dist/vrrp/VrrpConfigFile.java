package org.lvsha.dist.vrrp;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.lvsha.core.net.VirtualAddress;
import org.lvsha.vrrp.config.AnnounceConfig;
import org.lvsha.vrrp.config.ConfigException;
import org.lvsha.vrrp.config.InstanceConfig;
import org.lvsha.vrrp.config.NodeConfig;
import org.lvsha.vrrp.config.NotifyConfig;
import org.lvsha.vrrp.config.SyncGroupConfig;
import org.lvsha.vrrp.config.TrackConfig;

/**
 * Reads the VRRP part of a node's YAML configuration into {@link NodeConfig}. Every problem is reported
 * as {@code FILE:LINE: reason}; all of them at once, not only the first. The format (keys in kebab case):
 *
 * <pre>
 * reannounce-min-gap: 1s            # optional
 * instances:
 *   - name: vip
 *     vrid: 51
 *     version: 3                    # 3 (default) or 2
 *     interface: eth0
 *     primary: 203.0.113.2          # this node's address: the advert source (IPv6: link-local)
 *     priority: 150                 # 1-255
 *     advert-interval: 100ms        # v3: 10ms-40.95s in steps of 10 ms; v2: whole seconds
 *     preempt: true                 # default true
 *     preempt-delay: 0s
 *     accept: false
 *     auth-password: secret         # v2 only
 *     unicast-peers: [203.0.113.3]  # default: multicast 224.0.0.18 / ff02::12
 *     addresses:                    # ADDRESS/PREFIX [label LABEL] [dev IFNAME]
 *       - 203.0.113.100/24 label eth0:0
 *     track-interfaces: [{interface: eth1, weight: 0}]   # weight 0 = fault
 *     track-files: [{path: /run/prio, interval: 1s, weight: 1}]
 *     notify: {master: /etc/lvsha/m.sh, backup: ..., fault: ..., stop: ..., any: ...}
 *     announce: {burst: 5, repeat-delay: 5s, repeat-burst: 5, refresh: 0s}
 * sync-groups:
 *   - name: lb
 *     instances: [vip, dip]
 *     notify: {master: ...}
 * </pre>
 */
public final class VrrpConfigFile {
    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h)");
    private static final Pattern ADDRESS = Pattern.compile("([0-9a-fA-F.:]+)/(\\d+)(?:\\s+label\\s+(\\S+))?(?:\\s+dev\\s+(\\S+))?");
    private static final Set<String> INSTANCE_KEYS = Set.of("name", "vrid", "version", "interface", "primary", "priority",
            "advert-interval", "preempt", "preempt-delay", "accept", "auth-password", "unicast-peers", "addresses",
            "track-interfaces", "track-files", "notify", "announce");

    private final String file;
    private final Map<String, Integer> lines;
    private final List<String> problems = new ArrayList<>();

    private VrrpConfigFile(String file, Map<String, Integer> lines) {
        this.file = file;
        this.lines = lines;
    }

    /** Parses {@code path}; throws {@link ConfigException} whose problems each start with {@code FILE:LINE:}. */
    public static NodeConfig load(Path path) {
        String text;
        try {
            text = Files.readString(path);
        } catch (IOException e) {
            throw new ConfigException(List.of(path + ": cannot read: " + e.getMessage()));
        }
        return parse(path.toString(), text);
    }

    public static NodeConfig parse(String file, String yaml) {
        ObjectMapper mapper = new ObjectMapper(new YAMLFactory());
        JsonNode root;
        Map<String, Integer> lines = new HashMap<>();
        try {
            root = mapper.readTree(yaml);
            indexLines(mapper.getFactory().createParser(yaml), lines);
        } catch (JsonProcessingException e) {
            JsonLocation l = e.getLocation();
            throw new ConfigException(List.of(file + ":" + (l == null ? 0 : l.getLineNr()) + ": not valid YAML: " + e.getOriginalMessage()));
        } catch (IOException e) {
            throw new ConfigException(List.of(file + ": " + e.getMessage()));
        }
        return new VrrpConfigFile(file, lines).bind(root);
    }

    /** Records the line of every value by its path ({@code instances[0].priority}). */
    private static void indexLines(JsonParser p, Map<String, Integer> lines) throws IOException {
        Deque<String> path = new ArrayDeque<>();
        Deque<int[]> arrayIndex = new ArrayDeque<>();
        String field = null;
        JsonToken t;
        int guard = 0;
        while ((t = p.nextToken()) != null && guard++ < 1_000_000) {
            if (t == JsonToken.FIELD_NAME) {
                field = p.currentName();
                continue;
            }
            String here;
            String parent = path.isEmpty() ? "" : path.peek();
            if (!arrayIndex.isEmpty() && arrayIndex.peek()[1] == path.size()) {
                here = parent + "[" + arrayIndex.peek()[0]++ + "]";
            } else if (field != null) {
                here = parent.isEmpty() ? field : parent + "." + field;
            } else {
                here = parent;
            }
            field = null;
            if (t == JsonToken.END_OBJECT || t == JsonToken.END_ARRAY) {
                if (t == JsonToken.END_ARRAY) {
                    arrayIndex.pop();
                }
                path.pop();
                continue;
            }
            lines.putIfAbsent(here, p.currentLocation().getLineNr());
            if (t == JsonToken.START_OBJECT) {
                path.push(here);
            } else if (t == JsonToken.START_ARRAY) {
                path.push(here);
                arrayIndex.push(new int[] {0, path.size()});
            }
        }
    }

    private int line(String path) {
        for (String p = path; ; ) {
            Integer l = lines.get(p);
            if (l != null) {
                return l;
            }
            int cut = Math.max(p.lastIndexOf('.'), p.lastIndexOf('['));
            if (cut <= 0) {
                return lines.getOrDefault(p, 1);
            }
            p = p.substring(0, cut);
        }
    }

    private void problem(String path, String reason) {
        problems.add(file + ":" + line(path) + ": " + reason);
    }

    private NodeConfig bind(JsonNode root) {
        if (root == null || !root.isObject()) {
            problem("", "expected a mapping with 'instances'");
            throw new ConfigException(problems);
        }
        unknownKeys(root, "", Set.of("instances", "sync-groups", "reannounce-min-gap"));
        List<InstanceConfig> instances = new ArrayList<>();
        JsonNode list = root.path("instances");
        if (!list.isArray() || list.isEmpty()) {
            problem("instances", "'instances' must be a non-empty list");
        } else {
            for (int i = 0; i < list.size(); i++) {
                InstanceConfig c = instance(list.get(i), "instances[" + i + "]");
                if (c != null) {
                    instances.add(c);
                }
            }
        }
        List<SyncGroupConfig> groups = new ArrayList<>();
        JsonNode gl = root.path("sync-groups");
        for (int i = 0; i < gl.size(); i++) {
            String at = "sync-groups[" + i + "]";
            JsonNode g = gl.get(i);
            unknownKeys(g, at, Set.of("name", "instances", "notify"));
            List<String> members = new ArrayList<>();
            g.path("instances").forEach(n -> members.add(n.asText()));
            groups.add(new SyncGroupConfig(g.path("name").asText(null), members, notify(g.path("notify"), at + ".notify")));
        }
        Duration gap = root.has("reannounce-min-gap") ? duration(root.get("reannounce-min-gap"), "reannounce-min-gap") : null;
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        try {
            return new NodeConfig(instances, groups, gap);
        } catch (ConfigException e) {
            for (String p : e.problems()) {
                problem(p.startsWith("sync group") ? "sync-groups" : "instances", p);
            }
            throw new ConfigException(problems);
        }
    }

    private InstanceConfig instance(JsonNode n, String at) {
        if (!n.isObject()) {
            problem(at, "an instance must be a mapping");
            return null;
        }
        unknownKeys(n, at, INSTANCE_KEYS);
        int before = problems.size();
        String name = text(n, at, "name", true);
        int version = integer(n, at, "version", 3);
        String ifname = text(n, at, "interface", true);
        InetAddress primary = address(n.path("primary"), at + ".primary", true);
        int centis = 100;
        if (n.has("advert-interval")) {
            Duration d = duration(n.get("advert-interval"), at + ".advert-interval");
            if (d != null) {
                if (d.toMillis() % 10 != 0) {
                    problem(at + ".advert-interval", "advert interval " + d.toMillis() + " ms is not a multiple of 10 ms (the wire unit is centiseconds, RFC 5798 §5.2.7)");
                }
                centis = (int) Math.min(Integer.MAX_VALUE, d.toMillis() / 10);
            }
        }
        List<InetAddress> peers = new ArrayList<>();
        JsonNode pl = n.path("unicast-peers");
        for (int i = 0; i < pl.size(); i++) {
            InetAddress a = address(pl.get(i), at + ".unicast-peers[" + i + "]", true);
            if (a != null) {
                peers.add(a);
            }
        }
        List<VirtualAddress> addresses = new ArrayList<>();
        JsonNode al = n.path("addresses");
        for (int i = 0; i < al.size(); i++) {
            String p = at + ".addresses[" + i + "]";
            Matcher m = ADDRESS.matcher(al.get(i).asText("").trim());
            if (!m.matches()) {
                problem(p, "address '" + al.get(i).asText() + "' is not ADDRESS/PREFIX [label LABEL] [dev IFNAME]");
                continue;
            }
            InetAddress a = literal(m.group(1), p);
            if (a != null && ifname != null) {
                try {
                    addresses.add(new VirtualAddress(m.group(4) != null ? m.group(4) : ifname, a, Integer.parseInt(m.group(2)), m.group(3)));
                } catch (IllegalArgumentException e) {
                    problem(p, e.getMessage());
                }
            }
        }
        List<TrackConfig> tracks = new ArrayList<>();
        JsonNode tl = n.path("track-interfaces");
        for (int i = 0; i < tl.size(); i++) {
            JsonNode t = tl.get(i);
            String p = at + ".track-interfaces[" + i + "]";
            tracks.add(new TrackConfig.Interface(t.isObject() ? t.path("interface").asText() : t.asText(), t.path("weight").asInt(0)));
            if (t.isObject()) {
                unknownKeys(t, p, Set.of("interface", "weight"));
            }
        }
        JsonNode fl = n.path("track-files");
        for (int i = 0; i < fl.size(); i++) {
            JsonNode t = fl.get(i);
            String p = at + ".track-files[" + i + "]";
            unknownKeys(t, p, Set.of("path", "interval", "weight"));
            Duration d = t.has("interval") ? duration(t.get("interval"), p + ".interval") : Duration.ofSeconds(1);
            tracks.add(new TrackConfig.File(Path.of(t.path("path").asText()), d, t.path("weight").asInt(0)));
        }
        AnnounceConfig announce = null;
        if (n.has("announce")) {
            JsonNode a = n.get("announce");
            String p = at + ".announce";
            unknownKeys(a, p, Set.of("burst", "repeat-delay", "repeat-burst", "refresh"));
            Duration rd = a.has("repeat-delay") ? duration(a.get("repeat-delay"), p + ".repeat-delay") : Duration.ofSeconds(5);
            Duration rf = a.has("refresh") ? duration(a.get("refresh"), p + ".refresh") : Duration.ZERO;
            try {
                announce = new AnnounceConfig(a.path("burst").asInt(5), rd, a.path("repeat-burst").asInt(5), rf);
            } catch (ConfigException e) {
                e.problems().forEach(x -> problem(p, x));
            }
        }
        Duration delay = n.has("preempt-delay") ? duration(n.get("preempt-delay"), at + ".preempt-delay") : Duration.ZERO;
        int vrid = integer(n, at, "vrid", -1);
        int priority = integer(n, at, "priority", 100);
        if (problems.size() > before) {
            return null;
        }
        try {
            return new InstanceConfig(name, vrid, version, ifname, primary, addresses, priority,
                    centis, n.path("preempt").asBoolean(true), delay, n.path("accept").asBoolean(false),
                    n.hasNonNull("auth-password") ? n.get("auth-password").asText() : null, peers, tracks,
                    notify(n.path("notify"), at + ".notify"), announce);
        } catch (ConfigException e) {
            e.problems().forEach(x -> problem(at, x));
            return null;
        } catch (IllegalArgumentException e) {
            problem(at, e.getMessage());
            return null;
        }
    }

    private NotifyConfig notify(JsonNode n, String at) {
        if (n.isMissingNode() || n.isNull()) {
            return NotifyConfig.NONE;
        }
        unknownKeys(n, at, Set.of("any", "master", "backup", "fault", "stop"));
        return new NotifyConfig(n.path("any").asText(null), n.path("master").asText(null), n.path("backup").asText(null),
                n.path("fault").asText(null), n.path("stop").asText(null));
    }

    private void unknownKeys(JsonNode n, String at, Set<String> known) {
        if (!n.isObject()) {
            return;
        }
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!known.contains(k)) {
                problem(at.isEmpty() ? k : at + "." + k, "unknown key '" + k + "' (known: " + String.join(", ", new java.util.TreeSet<>(known)) + ")");
            }
        }
    }

    private String text(JsonNode n, String at, String key, boolean required) {
        JsonNode v = n.get(key);
        if (v == null || v.isNull() || v.asText().isBlank()) {
            if (required) {
                problem(at, "'" + key + "' is required");
            }
            return null;
        }
        return v.asText();
    }

    private int integer(JsonNode n, String at, String key, int dflt) {
        JsonNode v = n.get(key);
        if (v == null) {
            if (dflt < 0) {
                problem(at, "'" + key + "' is required");
            }
            return dflt;
        }
        if (!v.canConvertToInt() || !v.isIntegralNumber()) {
            problem(at + "." + key, "'" + key + "' must be a whole number, got '" + v.asText() + "'");
            return dflt;
        }
        return v.asInt();
    }

    private InetAddress address(JsonNode v, String at, boolean required) {
        if (v == null || v.isMissingNode() || v.isNull()) {
            if (required) {
                problem(at, "'" + at.substring(at.lastIndexOf('.') + 1) + "' is required");
            }
            return null;
        }
        return literal(v.asText(), at);
    }

    /** An IP literal only: a host name here would make startup depend on DNS. */
    private InetAddress literal(String s, String at) {
        String t = s.trim();
        if (!t.matches("[0-9a-fA-F.:%a-zA-Z0-9]+") || !(t.contains(":") || t.matches("\\d+\\.\\d+\\.\\d+\\.\\d+"))) {
            problem(at, "'" + s + "' is not an IP address literal");
            return null;
        }
        try {
            return InetAddress.getByName(t);
        } catch (IOException e) {
            problem(at, "'" + s + "' is not an IP address literal");
            return null;
        }
    }

    private Duration duration(JsonNode v, String at) {
        Matcher m = DURATION.matcher(v.asText("").trim());
        if (!m.matches()) {
            problem(at, "'" + v.asText() + "' is not a duration like 100ms, 1s, 2m, 1h");
            return null;
        }
        long x = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(x);
            case "s" -> Duration.ofSeconds(x);
            case "m" -> Duration.ofMinutes(x);
            default -> Duration.ofHours(x);
        };
    }
}
