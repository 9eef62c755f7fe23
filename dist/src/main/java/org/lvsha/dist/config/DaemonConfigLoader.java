package org.lvsha.dist.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.lvsha.core.config.ConfigProblems;
import org.lvsha.core.config.InvalidConfigException;
import org.lvsha.core.config.LocatedYaml;
import org.lvsha.core.ipvs.AddressFamily;
import org.lvsha.core.ipvs.Destination;
import org.lvsha.core.ipvs.ForwardingMethod;
import org.lvsha.core.ipvs.IpProtocol;
import org.lvsha.core.ipvs.ServiceKey;
import org.lvsha.core.ipvs.Timeouts;
import org.lvsha.core.ipvs.VirtualService;
import org.lvsha.core.ipvs.sched.Schedulers;
import org.lvsha.dist.vrrp.VrrpConfigFile;
import org.lvsha.health.config.CheckSpec;
import org.lvsha.health.config.CheckTiming;
import org.lvsha.health.config.FailureAction;
import org.lvsha.health.config.HealthConfigModule;
import org.lvsha.health.config.Quorum;
import org.lvsha.health.config.RealServerHealth;
import org.lvsha.health.config.ServiceHealth;
import org.lvsha.sync.replication.SyncConfig;
import org.lvsha.vrrp.config.ConfigException;
import org.lvsha.vrrp.config.NodeConfig;

/**
 * Reads a director's YAML file into a {@link DaemonConfig}. The whole file is checked before anything is built;
 * every problem is collected and reported together, each as {@code FILE:LINE:COLUMN: reason}. Nothing here
 * touches the network or the system (the key file is only checked to exist), so a reload can validate a new
 * file while the old configuration keeps running.
 *
 * <p>The {@code vrrp:} section is bound by {@link VrrpConfigFile} (the same format as {@code lvsha vrrp}); it is
 * handed the file with every other line blanked and the section dedented, so the lines it reports are this file's.
 */
public final class DaemonConfigLoader {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h)");
    private static final Pattern HOST_PORT = Pattern.compile("\\[?([0-9A-Fa-f.:]+)]?:(\\d+)");
    private static final Pattern VRRP_PROBLEM = Pattern.compile("(.*?):(\\d+): (.*)", Pattern.DOTALL);

    private static final Set<String> TOP = Set.of("node", "vrrp", "ipvs", "sync", "admin");
    private static final Set<String> IPVS = Set.of("backend", "outside-interface", "inside-interface", "workers", "timeouts", "services");
    private static final Set<String> TIMEOUTS = Set.of("tcp", "tcp-fin", "udp");
    private static final Set<String> SERVICE = Set.of("name", "protocol", "address", "port", "fwmark", "scheduler", "method",
            "persistence", "one-packet", "health", "real-servers");
    private static final Set<String> PERSISTENCE = Set.of("timeout", "netmask");
    private static final Set<String> HEALTH = Set.of("on-failure", "defaults", "slow-start", "slow-start-steps", "quorum", "sorry-server");
    private static final Set<String> REAL_SERVER = Set.of("address", "port", "weight", "max-weight", "method",
            "upper-threshold", "lower-threshold", "checks");
    private static final Set<String> SYNC = Set.of("enabled", "cluster", "sync-id", "interface", "bind-address", "port",
            "multicast", "tcp-peers", "key-file", "kernel-relay", "join-timeout", "state-timeout");
    private static final Set<String> MULTICAST = Set.of("group", "port");
    private static final Set<String> ADMIN = Set.of("listen", "peer", "drain-directory");

    /** Health records bind with the file's kebab-case keys ({@code retry-delay}) and durations like {@code 2s}. */
    private static final ObjectMapper HEALTH_MAPPER = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.KEBAB_CASE)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .addModule(new HealthConfigModule())
            .build();

    private final LocatedYaml yaml;
    private final ConfigProblems problems;

    private DaemonConfigLoader(LocatedYaml yaml) {
        this.yaml = yaml;
        this.problems = new ConfigProblems(yaml);
    }

    /** Loads and validates {@code path}; throws {@link InvalidConfigException} listing every problem. */
    public static DaemonConfig load(Path path) {
        return new DaemonConfigLoader(LocatedYaml.read(path)).bind(path);
    }

    /** Validates {@code text} as if read from {@code file} (tests, and {@code lvsha run --check}). */
    public static DaemonConfig parse(String file, String text) {
        return new DaemonConfigLoader(LocatedYaml.parse(file, text)).bind(Path.of(file));
    }

    private DaemonConfig bind(Path source) {
        JsonNode root = yaml.root();
        if (!root.isObject()) {
            problems.add("", "expected a mapping with 'node', 'vrrp' and 'ipvs'");
            problems.throwIfAny();
        }
        unknownKeys(root, "", TOP);
        String node = text(root, "", "node", null);
        if (node == null) {
            problems.add("", "'node' is required (this director's name)");
        } else if (!NAME.matcher(node).matches()) {
            problems.add("node", "node name '" + node + "' must be 1-64 characters of A-Z a-z 0-9 . _ -");
        }
        NodeConfig vrrp = vrrp();
        IpvsSettings ipvs = ipvs(root.path("ipvs"));
        SyncSettings sync = sync(root.path("sync"));
        AdminSettings admin = admin(root.path("admin"));
        Path drain = root.path("admin").hasNonNull("drain-directory") ? Path.of(root.path("admin").get("drain-directory").asText()) : null;
        problems.throwIfAny();
        return new DaemonConfig(source, node, vrrp, ipvs, sync, admin, drain);
    }

    // ------------------------------------------------------------------ vrrp

    private NodeConfig vrrp() {
        JsonNode v = yaml.root().path("vrrp");
        if (v.isMissingNode()) {
            problems.add("", "'vrrp' is required (instances and sync groups)");
            return null;
        }
        if (!v.isObject()) {
            problems.add("vrrp", "'vrrp' must be a mapping with 'instances'");
            return null;
        }
        String[] lines = yaml.text().split("\n", -1);
        int keyLine = yaml.locateKey("vrrp").line();
        int keyColumn = yaml.locateKey("vrrp").column();
        String afterKey = lines[keyLine - 1].substring(Math.min(lines[keyLine - 1].length(), keyColumn - 1))
                .replaceFirst("^vrrp\\s*:", "").replaceFirst("#.*", "").trim();
        if (!afterKey.isEmpty()) {
            problems.add("vrrp", "write 'vrrp' as a block mapping (keys on their own lines), not in {} flow style");
            return null;
        }
        // Keep the section's lines, dedented; blank every other line so that line numbers stay this file's.
        int end = lines.length;
        int indent = Integer.MAX_VALUE;
        for (int i = keyLine; i < lines.length; i++) {
            String l = lines[i];
            String content = l.strip();
            if (content.isEmpty() || content.startsWith("#")) {
                continue;
            }
            int lead = l.length() - l.stripLeading().length();
            if (lead < keyColumn) {
                end = i;
                break;
            }
            indent = Math.min(indent, lead);
        }
        StringBuilder section = new StringBuilder(yaml.text().length());
        for (int i = 0; i < lines.length; i++) {
            if (i >= keyLine && i < end) {
                String l = lines[i];
                int lead = l.length() - l.stripLeading().length();
                section.append(l.substring(Math.min(lead, indent == Integer.MAX_VALUE ? 0 : indent)));
            }
            section.append('\n');
        }
        try {
            return VrrpConfigFile.parse(yaml.file(), section.toString());
        } catch (ConfigException e) {
            for (String p : e.problems()) {
                Matcher m = VRRP_PROBLEM.matcher(p);
                if (m.matches() && m.group(1).equals(yaml.file())) {
                    int line = Integer.parseInt(m.group(2));
                    problems.addLocated(yaml.file() + ":" + line + ":" + firstColumn(lines, line) + ": vrrp: " + m.group(3));
                } else {
                    problems.add("vrrp", p);
                }
            }
            return null;
        }
    }

    private static int firstColumn(String[] lines, int line) {
        if (line < 1 || line > lines.length) {
            return 1;
        }
        String l = lines[line - 1];
        return l.length() - l.stripLeading().length() + 1;
    }

    // ------------------------------------------------------------------ ipvs

    private IpvsSettings ipvs(JsonNode n) {
        if (n.isMissingNode()) {
            problems.add("", "'ipvs' is required (backend and virtual services)");
            return null;
        }
        if (!n.isObject()) {
            problems.add("ipvs", "'ipvs' must be a mapping");
            return null;
        }
        unknownKeys(n, "ipvs", IPVS);
        IpvsBackend backend = IpvsBackend.AUTO;
        String b = text(n, "ipvs", "backend", "auto");
        try {
            backend = IpvsBackend.valueOf(b.toUpperCase());
        } catch (IllegalArgumentException e) {
            problems.add("ipvs.backend", "backend '" + b + "' is not one of auto, kernel, userspace, memory");
        }
        String outside = text(n, "ipvs", "outside-interface", null);
        String inside = text(n, "ipvs", "inside-interface", null);
        if ((backend == IpvsBackend.USERSPACE || backend == IpvsBackend.AUTO) && (outside == null || inside == null)) {
            problems.add("ipvs", "the " + b + " backend needs 'outside-interface' and 'inside-interface' (where the userspace data plane forwards)");
        }
        int workers = integer(n, "ipvs", "workers", 1, 1, 64);
        Timeouts timeouts = Timeouts.DEFAULTS;
        if (n.has("timeouts")) {
            JsonNode t = n.get("timeouts");
            unknownKeys(t, "ipvs.timeouts", TIMEOUTS);
            int tcp = seconds(t, "ipvs.timeouts", "tcp", Timeouts.DEFAULTS.tcp());
            int fin = seconds(t, "ipvs.timeouts", "tcp-fin", Timeouts.DEFAULTS.tcpFin());
            int udp = seconds(t, "ipvs.timeouts", "udp", Timeouts.DEFAULTS.udp());
            try {
                timeouts = new Timeouts(tcp, fin, udp);
            } catch (IllegalArgumentException e) {
                problems.add("ipvs.timeouts", e.getMessage());
            }
        }
        List<ServiceConfig> services = new ArrayList<>();
        JsonNode list = n.path("services");
        if (!list.isMissingNode() && !list.isArray()) {
            problems.add("ipvs.services", "'services' must be a list");
        }
        Set<ServiceKey> seen = new HashSet<>();
        for (int i = 0; i < list.size() && list.isArray(); i++) {
            ServiceConfig s = service(list.get(i), "ipvs.services[" + i + "]", backend);
            if (s != null && !seen.add(s.service().key())) {
                problems.add("ipvs.services[" + i + "]", "virtual service " + s.service().key().describe() + " is configured twice");
            } else if (s != null) {
                services.add(s);
            }
        }
        return new IpvsSettings(backend, outside, inside, workers, timeouts, services);
    }

    private ServiceConfig service(JsonNode n, String at, IpvsBackend backend) {
        if (!n.isObject()) {
            problems.add(at, "a virtual service must be a mapping");
            return null;
        }
        int before = problems.size();
        unknownKeys(n, at, SERVICE);
        IpProtocol protocol = IpProtocol.TCP;
        String proto = text(n, at, "protocol", "tcp");
        try {
            protocol = IpProtocol.valueOf(proto.toUpperCase());
        } catch (IllegalArgumentException e) {
            problems.add(at + ".protocol", "protocol '" + proto + "' is not one of tcp, udp, sctp");
        }
        ServiceKey key = null;
        if (n.has("fwmark")) {
            int mark = integer(n, at, "fwmark", 0, 1, Integer.MAX_VALUE);
            if (n.has("address") || n.has("port")) {
                problems.add(at + ".fwmark", "a firewall-mark service has no 'address' or 'port'");
            }
            if (backend == IpvsBackend.USERSPACE) {
                problems.add(at + ".fwmark", "the userspace data plane forwards address:port services only, not firewall marks");
            }
            key = mark > 0 ? ServiceKey.fwmark(mark, AddressFamily.INET) : null;
        } else {
            InetAddress address = address(n, at, "address");
            int port = integer(n, at, "port", -1, 0, 65535);
            if (address != null && port >= 0) {
                key = ServiceKey.of(protocol, address, port);
                if (backend == IpvsBackend.USERSPACE && !(address instanceof java.net.Inet4Address)) {
                    problems.add(at + ".address", "the userspace data plane forwards IPv4 only; use the kernel backend for " + address.getHostAddress());
                }
            }
        }
        if (backend == IpvsBackend.USERSPACE && protocol == IpProtocol.SCTP) {
            problems.add(at + ".protocol", "the userspace data plane forwards TCP and UDP only");
        }
        String scheduler = text(n, at, "scheduler", VirtualService.DEFAULT_SCHEDULER);
        if (!Schedulers.isKnown(scheduler)) {
            problems.add(at + ".scheduler", "scheduler '" + scheduler + "' is not one of " + String.join(", ", Schedulers.NAMES));
        }
        int persistence = 0;
        int netmask = -1;
        if (n.has("persistence")) {
            JsonNode p = n.get("persistence");
            unknownKeys(p, at + ".persistence", PERSISTENCE);
            persistence = seconds(p, at + ".persistence", "timeout", VirtualService.DEFAULT_PERSISTENCE_TIMEOUT);
            if (persistence == 0) {
                problems.add(at + ".persistence.timeout", "a persistence timeout must be at least 1s (leave 'persistence' out for none)");
            }
            if (p.has("netmask")) {
                netmask = netmask(p.get("netmask"), at + ".persistence.netmask", key == null ? AddressFamily.INET : key.family());
            }
        }
        boolean onePacket = n.path("one-packet").asBoolean(false);
        ForwardingMethod defaultMethod = method(n, at, ForwardingMethod.ROUTE, backend);
        List<Destination> destinations = new ArrayList<>();
        List<RealServerHealth> health = new ArrayList<>();
        JsonNode rl = n.path("real-servers");
        if (!rl.isArray() || rl.isEmpty()) {
            problems.add(at, "'real-servers' must be a non-empty list");
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < rl.size() && rl.isArray(); i++) {
            String rat = at + ".real-servers[" + i + "]";
            JsonNode r = rl.get(i);
            if (!r.isObject()) {
                problems.add(rat, "a real server must be a mapping");
                continue;
            }
            unknownKeys(r, rat, REAL_SERVER);
            InetAddress address = address(r, rat, "address");
            int port = integer(r, rat, "port", key != null && !key.isFwmark() ? key.port() : 0, 0, 65535);
            int weight = integer(r, rat, "weight", 1, 0, 65535);
            int upper = integer(r, rat, "upper-threshold", 0, 0, Integer.MAX_VALUE);
            int lower = integer(r, rat, "lower-threshold", 0, 0, Integer.MAX_VALUE);
            if (upper > 0 && lower > upper) {
                problems.add(rat + ".lower-threshold", "lower-threshold " + lower + " is above upper-threshold " + upper);
            }
            ForwardingMethod method = method(r, rat, defaultMethod, backend);
            Integer maxWeight = r.has("max-weight") ? integer(r, rat, "max-weight", weight, 0, 65535) : null;
            if (maxWeight != null && maxWeight < weight) {
                problems.add(rat + ".max-weight", "max-weight " + maxWeight + " is below weight " + weight);
            }
            List<CheckSpec> checks = checks(r.path("checks"), rat + ".checks");
            if (address == null) {
                continue;
            }
            if (key != null && key.family() != AddressFamily.of(address)) {
                problems.add(rat + ".address", "real server " + address.getHostAddress() + " is not of the service's address family");
                continue;
            }
            Destination d = new Destination(address, port, method, weight, upper, lower, org.lvsha.core.ipvs.Tunnel.IPIP);
            String id = ServiceConfig.realServerId(d);
            if (!seen.add(id)) {
                problems.add(rat, "real server " + id + " is listed twice");
                continue;
            }
            destinations.add(d);
            try {
                health.add(new RealServerHealth(id, address.getHostAddress(), port, weight, maxWeight, checks));
            } catch (IllegalArgumentException e) {
                problems.add(rat, e.getMessage());
            }
        }
        ServiceHealth serviceHealth = null;
        if (key != null) {
            serviceHealth = health(n.path("health"), at + ".health", serviceId(key), health);
        }
        if (problems.size() > before || key == null) {
            return null;
        }
        VirtualService vs = new VirtualService(key, scheduler, 0, persistence,
                netmask >= 0 ? netmask : key.family().hostNetmask(), onePacket, "");
        String id = n.hasNonNull("name") ? n.get("name").asText() : serviceId(key);
        return new ServiceConfig(id, vs, destinations, serviceHealth);
    }

    /** The health engine's service id: {@code tcp:203.0.113.100:80}, {@code fwm:5}. */
    public static String serviceId(ServiceKey key) {
        if (key.isFwmark()) {
            return "fwm:" + Integer.toUnsignedString(key.fwmark());
        }
        String a = key.address().getHostAddress();
        return key.protocol().name().toLowerCase() + ":" + (a.contains(":") ? "[" + a + "]" : a) + ":" + key.port();
    }

    private ForwardingMethod method(JsonNode n, String at, ForwardingMethod dflt, IpvsBackend backend) {
        if (!n.has("method")) {
            return dflt;
        }
        String m = n.get("method").asText();
        ForwardingMethod f = switch (m.toLowerCase()) {
            case "dr", "route", "gatewaying" -> ForwardingMethod.ROUTE;
            case "nat", "masq", "masquerading" -> ForwardingMethod.MASQ;
            case "tun", "tunnel", "ipip" -> ForwardingMethod.TUNNEL;
            default -> null;
        };
        if (f == null) {
            problems.add(at + ".method", "method '" + m + "' is not one of dr, nat, tun");
            return dflt;
        }
        if (f == ForwardingMethod.TUNNEL && backend == IpvsBackend.USERSPACE) {
            problems.add(at + ".method", "the userspace data plane forwards dr and nat only; tun needs the kernel backend");
        }
        return f;
    }

    private int netmask(JsonNode v, String at, AddressFamily family) {
        String s = v.asText().trim();
        if (family == AddressFamily.INET6) {
            if (v.canConvertToInt() && v.asInt() >= 1 && v.asInt() <= 128) {
                return v.asInt();
            }
            problems.add(at, "an IPv6 persistence netmask is a prefix length 1-128, got '" + s + "'");
            return -1;
        }
        try {
            InetAddress m = s.matches("\\d+\\.\\d+\\.\\d+\\.\\d+") ? InetAddress.getByName(s) : null;
            if (m != null) {
                int bits = java.nio.ByteBuffer.wrap(m.getAddress()).getInt();
                if (Integer.bitCount(bits) == Integer.numberOfLeadingZeros(~bits) || bits == -1) {
                    return bits;
                }
            }
        } catch (java.net.UnknownHostException ignored) {
            // reported below
        }
        problems.add(at, "'" + s + "' is not a contiguous IPv4 netmask such as 255.255.255.0");
        return -1;
    }

    private List<CheckSpec> checks(JsonNode list, String at) {
        List<CheckSpec> out = new ArrayList<>();
        if (list.isMissingNode() || list.isNull()) {
            return out;
        }
        if (!list.isArray()) {
            problems.add(at, "'checks' must be a list");
            return out;
        }
        for (int i = 0; i < list.size(); i++) {
            String cat = at + "[" + i + "]";
            try {
                out.add(HEALTH_MAPPER.treeToValue(list.get(i), CheckSpec.class));
            } catch (JsonProcessingException | IllegalArgumentException e) {
                problems.add(bindingPath(cat, e), "health check: " + bindingReason(e));
            }
        }
        return out;
    }

    private ServiceHealth health(JsonNode h, String at, String serviceId, List<RealServerHealth> servers) {
        if (!h.isMissingNode() && !h.isObject()) {
            problems.add(at, "'health' must be a mapping");
            return null;
        }
        unknownKeys(h, at, HEALTH);
        FailureAction onFailure = FailureAction.inhibit;
        if (h.has("on-failure")) {
            try {
                onFailure = FailureAction.valueOf(h.get("on-failure").asText());
            } catch (IllegalArgumentException e) {
                problems.add(at + ".on-failure", "on-failure '" + h.get("on-failure").asText() + "' is not one of inhibit, remove");
            }
        }
        CheckTiming defaults = bindPart(h, at, "defaults", CheckTiming.class);
        Duration slowStart = h.has("slow-start") ? duration(h.get("slow-start"), at + ".slow-start") : null;
        Integer steps = h.has("slow-start-steps") ? integer(h, at, "slow-start-steps", 10, 1, 1000) : null;
        Quorum quorum = bindPart(h, at, "quorum", Quorum.class);
        RealServerHealth sorry = bindPart(h, at, "sorry-server", RealServerHealth.class);
        try {
            return new ServiceHealth(serviceId, onFailure, defaults, slowStart, steps, quorum, sorry, servers);
        } catch (IllegalArgumentException e) {
            problems.add(at, e.getMessage());
            return null;
        }
    }

    private <T> T bindPart(JsonNode parent, String at, String key, Class<T> type) {
        if (!parent.has(key)) {
            return null;
        }
        try {
            return HEALTH_MAPPER.treeToValue(parent.get(key), type);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            problems.add(bindingPath(at + "." + key, e), key + ": " + bindingReason(e));
            return null;
        }
    }

    /** The deepest path Jackson names inside the bound node, so the column points at the offending value. */
    private static String bindingPath(String at, Exception e) {
        if (!(e instanceof JsonMappingException m)) {
            return at;
        }
        StringBuilder b = new StringBuilder(at);
        for (JsonMappingException.Reference r : m.getPath()) {
            if (r.getFieldName() != null) {
                b.append('.').append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                b.append('[').append(r.getIndex()).append(']');
            }
        }
        return b.toString();
    }

    private static String bindingReason(Exception e) {
        String msg = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
        if (e instanceof JsonMappingException m && m.getCause() instanceof IllegalArgumentException iae && iae.getMessage() != null) {
            msg = iae.getMessage();
        }
        // Jackson appends "(for ...)" and class names that mean nothing to an operator.
        int cut = msg.indexOf("\n");
        msg = cut > 0 ? msg.substring(0, cut) : msg;
        return msg.replaceAll(" \\(class [^)]*\\)", "").replaceAll("`org\\.lvsha\\.health\\.config\\.", "`");
    }

    // ------------------------------------------------------------------ sync

    private SyncSettings sync(JsonNode n) {
        if (n.isMissingNode() || n.isNull()) {
            return SyncSettings.DISABLED;
        }
        if (!n.isObject()) {
            problems.add("sync", "'sync' must be a mapping");
            return SyncSettings.DISABLED;
        }
        unknownKeys(n, "sync", SYNC);
        boolean enabled = n.path("enabled").asBoolean(true);
        String cluster = text(n, "sync", "cluster", null);
        if (cluster == null) {
            problems.add("sync", "'cluster' is required (the replication cluster's name)");
        } else if (!NAME.matcher(cluster).matches()) {
            problems.add("sync.cluster", "cluster name '" + cluster + "' must be 1-64 characters of A-Z a-z 0-9 . _ -");
        }
        int syncId = integer(n, "sync", "sync-id", -1, 1, 255);
        InetAddress bind = address(n, "sync", "bind-address");
        int port = integer(n, "sync", "port", 7800, 1, 65535);
        boolean multicast = n.has("multicast");
        boolean tcp = n.has("tcp-peers");
        if (multicast == tcp) {
            problems.add("sync", "give exactly one of 'multicast' (group and port) or 'tcp-peers' (for networks without multicast)");
        }
        SyncConfig.Builder b = cluster != null && NAME.matcher(cluster).matches() && syncId >= 1
                ? SyncConfig.builder(cluster, syncId) : null;
        if (multicast) {
            JsonNode m = n.get("multicast");
            unknownKeys(m, "sync.multicast", MULTICAST);
            InetAddress group = address(m, "sync.multicast", "group");
            if (group != null && !group.isMulticastAddress()) {
                problems.add("sync.multicast.group", group.getHostAddress() + " is not a multicast address");
            }
            int mport = integer(m, "sync.multicast", "port", 45688, 1, 65535);
            if (b != null && bind != null && group != null) {
                b.multicast(bind, group, mport);
            }
        }
        if (tcp) {
            List<InetSocketAddress> peers = new ArrayList<>();
            JsonNode pl = n.get("tcp-peers");
            if (!pl.isArray() || pl.isEmpty()) {
                problems.add("sync.tcp-peers", "'tcp-peers' must be a non-empty list of ADDRESS:PORT");
            }
            for (int i = 0; i < pl.size(); i++) {
                InetSocketAddress a = hostPort(pl.get(i), "sync.tcp-peers[" + i + "]");
                if (a != null) {
                    peers.add(a);
                }
            }
            if (b != null && bind != null) {
                b.tcp(bind, port, peers);
            }
        }
        if (n.hasNonNull("key-file")) {
            Path key = Path.of(n.get("key-file").asText());
            if (!Files.isReadable(key)) {
                problems.add("sync.key-file", "key file " + key + " does not exist or is not readable");
            } else if (b != null) {
                b.keyFile(key);
            }
        }
        if (n.has("join-timeout")) {
            Duration d = duration(n.get("join-timeout"), "sync.join-timeout");
            if (b != null && d != null) {
                b.joinTimeout(d);
            }
        }
        if (n.has("state-timeout")) {
            Duration d = duration(n.get("state-timeout"), "sync.state-timeout");
            if (b != null && d != null) {
                b.stateTimeout(d);
            }
        }
        SyncConfig replication = null;
        if (b != null && bind != null && (multicast ^ tcp) && problems.isEmpty()) {
            try {
                replication = b.build();
            } catch (IllegalArgumentException | IllegalStateException e) {
                problems.add("sync", e.getMessage());
            }
        }
        String ifname = text(n, "sync", "interface", null);
        boolean relay = n.path("kernel-relay").asBoolean(false);
        if (relay && ifname == null) {
            problems.add("sync.kernel-relay", "kernel-relay needs 'interface' (the kernel sync daemons' multicast interface)");
        }
        String backend = yaml.root().path("ipvs").path("backend").asText("auto");
        if (relay && (backend.equals("userspace") || backend.equals("memory"))) {
            problems.add("sync.kernel-relay", "kernel-relay relays the kernel's sync daemons: it needs the kernel (or auto) backend, not " + backend);
        }
        return new SyncSettings(enabled, replication, ifname, relay);
    }

    // ------------------------------------------------------------------ admin

    private AdminSettings admin(JsonNode n) {
        InetSocketAddress listen = new InetSocketAddress(InetAddress.getLoopbackAddress(), AdminSettings.DEFAULT_PORT);
        if (n.isMissingNode() || n.isNull()) {
            return new AdminSettings(listen, null);
        }
        if (!n.isObject()) {
            problems.add("admin", "'admin' must be a mapping");
            return new AdminSettings(listen, null);
        }
        unknownKeys(n, "admin", ADMIN);
        if (n.has("listen")) {
            InetSocketAddress l = hostPort(n.get("listen"), "admin.listen");
            listen = l == null ? listen : l;
        }
        InetSocketAddress peer = n.has("peer") ? hostPort(n.get("peer"), "admin.peer") : null;
        return new AdminSettings(listen, peer);
    }

    // ------------------------------------------------------------------ scalars

    private void unknownKeys(JsonNode n, String at, Set<String> known) {
        if (!n.isObject()) {
            return;
        }
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!known.contains(k)) {
                String path = at.isEmpty() ? k : at + "." + k;
                problems.addLocated(yaml.locateKey(path) + ": unknown key '" + k + "' (known: " + String.join(", ", new TreeSet<>(known)) + ")");
            }
        }
    }

    private String text(JsonNode n, String at, String key, String dflt) {
        JsonNode v = n.get(key);
        if (v == null || v.isNull()) {
            return dflt;
        }
        if (!v.isValueNode() || v.asText().isBlank()) {
            problems.add(path(at, key), "'" + key + "' must be a non-empty text");
            return dflt;
        }
        return v.asText();
    }

    /** A whole number in {@code [min, max]}; {@code dflt < min} marks the key as required. */
    private int integer(JsonNode n, String at, String key, int dflt, int min, int max) {
        JsonNode v = n.get(key);
        if (v == null || v.isNull()) {
            if (dflt < min) {
                problems.add(at, "'" + key + "' is required");
            }
            return dflt;
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt()) {
            problems.add(path(at, key), "'" + key + "' must be a whole number, got '" + v.asText() + "'");
            return dflt < min ? min - 1 : dflt;
        }
        int x = v.asInt();
        if (x < min || x > max) {
            problems.add(path(at, key), "'" + key + "' " + x + " is out of range " + min + "-" + max);
            return dflt < min ? min - 1 : dflt;
        }
        return x;
    }

    private int seconds(JsonNode n, String at, String key, int dflt) {
        if (!n.has(key)) {
            return dflt;
        }
        Duration d = duration(n.get(key), path(at, key));
        if (d == null) {
            return dflt;
        }
        if (d.toMillis() % 1000 != 0) {
            problems.add(path(at, key), "'" + key + "' must be whole seconds (IPVS counts timeouts in seconds)");
        }
        return (int) Math.min(Integer.MAX_VALUE, d.toSeconds());
    }

    private Duration duration(JsonNode v, String at) {
        Matcher m = DURATION.matcher(v.asText("").trim());
        if (!m.matches()) {
            problems.add(at, "'" + v.asText() + "' is not a duration like 100ms, 1s, 2m, 1h");
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

    /** An IP literal only: a host name would make startup depend on DNS. */
    private InetAddress address(JsonNode n, String at, String key) {
        JsonNode v = n.get(key);
        if (v == null || v.isNull()) {
            problems.add(at, "'" + key + "' is required");
            return null;
        }
        return literal(v.asText(), path(at, key));
    }

    private InetAddress literal(String s, String at) {
        String t = s.trim();
        if (!(t.matches("\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}") || t.matches("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*"))) {
            problems.add(at, "'" + s + "' is not an IP address literal");
            return null;
        }
        try {
            return InetAddress.getByName(t);
        } catch (java.net.UnknownHostException e) {
            problems.add(at, "'" + s + "' is not an IP address literal");
            return null;
        }
    }

    private InetSocketAddress hostPort(JsonNode v, String at) {
        Matcher m = HOST_PORT.matcher(v.asText("").trim());
        if (!m.matches()) {
            problems.add(at, "'" + v.asText() + "' is not ADDRESS:PORT (IPv6: [ADDRESS]:PORT)");
            return null;
        }
        InetAddress a = literal(m.group(1), at);
        int port = Integer.parseInt(m.group(2));
        if (port < 1 || port > 65535) {
            problems.add(at, "port " + port + " is out of range 1-65535");
            return null;
        }
        return a == null ? null : new InetSocketAddress(a, port);
    }

    private static String path(String at, String key) {
        return at.isEmpty() ? key : at + "." + key;
    }
}
