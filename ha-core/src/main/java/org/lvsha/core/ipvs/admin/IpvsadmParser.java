package org.lvsha.core.ipvs.admin;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.lvsha.core.ipvs.AddressFamily;
import org.lvsha.core.ipvs.AddressText;
import org.lvsha.core.ipvs.Destination;
import org.lvsha.core.ipvs.ForwardingMethod;
import org.lvsha.core.ipvs.IpProtocol;
import org.lvsha.core.ipvs.ServiceFlags;
import org.lvsha.core.ipvs.ServiceKey;
import org.lvsha.core.ipvs.SyncDaemon;
import org.lvsha.core.ipvs.SyncState;
import org.lvsha.core.ipvs.Timeouts;
import org.lvsha.core.ipvs.Tunnel;
import org.lvsha.core.ipvs.TunnelChecksum;
import org.lvsha.core.ipvs.TunnelType;
import org.lvsha.core.ipvs.VirtualService;
import org.lvsha.core.ipvs.admin.IpvsadmCommand.Kind;

/**
 * Parses ipvsadm 1.31 command lines (ipvsadm.8): commands -A -E -D -C -R -S -a -e -d -L/-l -Z --set
 * --start-daemon --stop-daemon and their options, short options clustered as popt allows ({@code -Ln},
 * {@code -At 192.0.2.10:80}), long options as {@code --opt value} or {@code --opt=value}. Defaults are those
 * ipvsadm fills in (§2.5): scheduler wlc, weight 1, DR, host netmask, persistence 360 s for a bare {@code -p}.
 * Addresses and ports must be numeric (no DNS or /etc/services lookups).
 */
public final class IpvsadmParser {

    private static final Map<Character, String> SHORT = Map.ofEntries(
            Map.entry('A', "add-service"), Map.entry('E', "edit-service"), Map.entry('D', "delete-service"),
            Map.entry('C', "clear"), Map.entry('R', "restore"), Map.entry('S', "save"),
            Map.entry('a', "add-server"), Map.entry('e', "edit-server"), Map.entry('d', "delete-server"),
            Map.entry('L', "list"), Map.entry('l', "list"), Map.entry('Z', "zero"), Map.entry('h', "help"),
            Map.entry('v', "version"), Map.entry('c', "connection"), Map.entry('n', "numeric"),
            Map.entry('t', "tcp-service"), Map.entry('u', "udp-service"), Map.entry('f', "fwmark-service"),
            Map.entry('s', "scheduler"), Map.entry('p', "persistent"), Map.entry('M', "netmask"),
            Map.entry('r', "real-server"), Map.entry('g', "gatewaying"), Map.entry('i', "ipip"),
            Map.entry('m', "masquerading"), Map.entry('w', "weight"), Map.entry('x', "u-threshold"),
            Map.entry('y', "l-threshold"), Map.entry('6', "ipv6"), Map.entry('o', "ops"), Map.entry('b', "sched-flags"));

    private static final List<String> WITH_ARGUMENT = List.of(
            "tcp-service", "udp-service", "sctp-service", "fwmark-service", "scheduler", "netmask", "real-server",
            "weight", "u-threshold", "l-threshold", "pe", "sched-flags", "start-daemon", "stop-daemon",
            "mcast-interface", "syncid", "sync-maxlen", "mcast-group", "mcast-port", "mcast-ttl", "tun-type", "tun-port");

    private static final Map<String, Kind> COMMANDS = Map.ofEntries(
            Map.entry("add-service", Kind.ADD_SERVICE), Map.entry("edit-service", Kind.EDIT_SERVICE),
            Map.entry("delete-service", Kind.DELETE_SERVICE), Map.entry("clear", Kind.FLUSH),
            Map.entry("restore", Kind.RESTORE), Map.entry("save", Kind.SAVE), Map.entry("add-server", Kind.ADD_SERVER),
            Map.entry("edit-server", Kind.EDIT_SERVER), Map.entry("delete-server", Kind.DELETE_SERVER),
            Map.entry("list", Kind.LIST), Map.entry("zero", Kind.ZERO), Map.entry("set", Kind.SET_TIMEOUTS),
            Map.entry("start-daemon", Kind.START_DAEMON), Map.entry("stop-daemon", Kind.STOP_DAEMON),
            Map.entry("help", Kind.HELP), Map.entry("version", Kind.VERSION));

    private IpvsadmParser() {
    }

    private record Option(String name, String value) {
    }

    private static final class State {
        Kind kind;
        final List<String> setArgs = new ArrayList<>();
        IpProtocol protocol;
        String serviceText;
        long fwmark;
        boolean ipv6;
        String scheduler;
        String schedFlags;
        Integer persistence;
        String netmask;
        String pe;
        boolean ops;
        String server;
        ForwardingMethod method;
        Integer weight;
        Integer upper;
        Integer lower;
        TunnelType tunType;
        Integer tunPort;
        TunnelChecksum tunChecksum;
        String daemonState;
        String mcastInterface;
        Integer syncId;
        Integer maxLen;
        String group;
        Integer mcastPort;
        Integer ttl;
        boolean numeric;
        boolean connections;
        boolean timeout;
        boolean daemon;
        boolean stats;
        boolean rate;
        boolean thresholds;
        boolean persistentConn;
        boolean noSort;
        boolean exact;
        boolean tunInfo;
    }

    public static IpvsadmCommand parse(String... args) {
        List<Option> options = tokenize(args);
        State s = new State();
        for (Option o : options) {
            apply(s, o);
        }
        if (s.kind == null) {
            throw new IpvsadmUsageException("no command specified");
        }
        try {
            return build(s);
        } catch (IpvsadmUsageException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            // a value the model refuses, e.g. an interface name longer than IP_VS_IFNAME_MAXLEN - 1
            throw new IpvsadmUsageException(e.getMessage());
        }
    }

    private static List<Option> tokenize(String[] args) {
        List<Option> out = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.startsWith("--")) {
                String name = a.substring(2);
                String value = null;
                int eq = name.indexOf('=');
                if (eq >= 0) {
                    value = name.substring(eq + 1);
                    name = name.substring(0, eq);
                }
                if (name.equals("list-daemon")) {
                    // lvsha's alias for ipvsadm -L --daemon
                    out.add(new Option("list", null));
                    out.add(new Option("daemon", null));
                    continue;
                }
                if (name.equals("set")) {
                    // --set tcp tcpfin udp: three positional values
                    List<String> vals = new ArrayList<>();
                    while (vals.size() < 3 && i + 1 < args.length) {
                        vals.add(args[++i]);
                    }
                    out.add(new Option("set", String.join(" ", vals)));
                    continue;
                }
                if (value == null && WITH_ARGUMENT.contains(name)) {
                    if (i + 1 >= args.length) {
                        throw new IpvsadmUsageException("option --" + name + " requires an argument");
                    }
                    value = args[++i];
                } else if (value == null && name.equals("persistent") && i + 1 < args.length && !args[i + 1].startsWith("-")) {
                    value = args[++i];
                }
                out.add(new Option(name, value));
            } else if (a.startsWith("-") && a.length() > 1) {
                for (int c = 1; c < a.length(); c++) {
                    String name = SHORT.get(a.charAt(c));
                    if (name == null) {
                        throw new IpvsadmUsageException("invalid option -" + a.charAt(c));
                    }
                    String rest = a.substring(c + 1);
                    if (WITH_ARGUMENT.contains(name)) {
                        String value;
                        if (!rest.isEmpty()) {
                            value = rest;
                        } else if (i + 1 < args.length) {
                            value = args[++i];
                        } else {
                            throw new IpvsadmUsageException("option -" + a.charAt(c) + " requires an argument");
                        }
                        out.add(new Option(name, value));
                        break;
                    }
                    if (name.equals("persistent")) {
                        String value = null;
                        if (!rest.isEmpty()) {
                            value = rest;
                        } else if (i + 1 < args.length && !args[i + 1].startsWith("-")) {
                            value = args[++i];
                        }
                        out.add(new Option(name, value));
                        break;
                    }
                    out.add(new Option(name, null));
                }
            } else {
                throw new IpvsadmUsageException("unexpected argument " + a);
            }
        }
        return out;
    }

    private static void apply(State s, Option o) {
        Kind k = COMMANDS.get(o.name());
        if (k != null) {
            if (s.kind != null) {
                throw new IpvsadmUsageException("multiple commands specified");
            }
            s.kind = k;
            if (k == Kind.START_DAEMON || k == Kind.STOP_DAEMON) {
                s.daemonState = o.value();
            } else if (k == Kind.SET_TIMEOUTS) {
                s.setArgs.addAll(List.of(o.value().split(" ")));
            }
            return;
        }
        String v = o.value();
        switch (o.name()) {
            case "tcp-service" -> service(s, IpProtocol.TCP, v);
            case "udp-service" -> service(s, IpProtocol.UDP, v);
            case "sctp-service" -> service(s, IpProtocol.SCTP, v);
            case "fwmark-service" -> {
                checkNoService(s);
                // ipvsadm 1.31 as released (Debian, RHEL) prints marks >= 2^31 as negative numbers in -L and -S
                // (it formats the u32 with %d) and then refuses its own dump on -R; we read both spellings, so such
                // a dump restores (checked against the real ipvsadm in KernelInteropTest).
                long mark = number(v, Integer.MIN_VALUE, 0xFFFFFFFFL, "illegal fwmark specified");
                s.fwmark = mark < 0 ? mark & 0xFFFFFFFFL : mark;
                if (s.fwmark == 0) {
                    throw new IpvsadmUsageException("illegal fwmark specified");
                }
            }
            case "ipv6" -> s.ipv6 = true;
            case "scheduler" -> s.scheduler = v;
            case "sched-flags" -> s.schedFlags = v;
            case "persistent" -> s.persistence = v == null ? VirtualService.DEFAULT_PERSISTENCE_TIMEOUT
                    : (int) number(v, 1, 86400L * 31, "illegal timeout for persistent service");
            case "netmask" -> s.netmask = v;
            case "pe" -> s.pe = v;
            case "ops" -> s.ops = true;
            case "real-server" -> s.server = v;
            case "gatewaying" -> method(s, ForwardingMethod.ROUTE);
            case "ipip" -> method(s, ForwardingMethod.TUNNEL);
            case "masquerading" -> method(s, ForwardingMethod.MASQ);
            // 0..INT_MAX as ipvsadm 1.31 parses it (a real ipvsadm takes -w 65536 and -w 2147483647, refuses 2147483648).
            case "weight" -> s.weight = (int) number(v, 0, Integer.MAX_VALUE, "illegal weight specified");
            case "u-threshold" -> s.upper = (int) number(v, 0, Integer.MAX_VALUE, "illegal u_threshold specified");
            case "l-threshold" -> s.lower = (int) number(v, 0, Integer.MAX_VALUE, "illegal l_threshold specified");
            case "tun-type" -> {
                try {
                    s.tunType = TunnelType.ofName(v);
                } catch (IllegalArgumentException e) {
                    throw new IpvsadmUsageException("illegal tunnel type specified");
                }
            }
            case "tun-port" -> s.tunPort = (int) number(v, 1, 65535, "illegal tunnel port specified");
            case "tun-nocsum" -> s.tunChecksum = TunnelChecksum.NOCSUM;
            case "tun-csum" -> s.tunChecksum = TunnelChecksum.CSUM;
            case "tun-remcsum" -> s.tunChecksum = TunnelChecksum.REMCSUM;
            case "mcast-interface" -> s.mcastInterface = v;
            case "syncid" -> s.syncId = (int) number(v, 0, 255, "illegal syncid specified");
            case "sync-maxlen" -> s.maxLen = (int) number(v, 1, 65535 - 20 - 8, "illegal sync-maxlen specified");
            case "mcast-group" -> s.group = v;
            case "mcast-port" -> s.mcastPort = (int) number(v, 1, 65535, "illegal mcast-port specified");
            case "mcast-ttl" -> s.ttl = (int) number(v, 1, 255, "illegal mcast-ttl specified");
            case "numeric" -> s.numeric = true;
            case "connection" -> s.connections = true;
            case "timeout" -> s.timeout = true;
            case "daemon" -> s.daemon = true;
            case "stats" -> s.stats = true;
            case "rate" -> s.rate = true;
            case "thresholds" -> s.thresholds = true;
            case "persistent-conn" -> s.persistentConn = true;
            case "nosort" -> s.noSort = true;
            case "sort" -> s.noSort = false;
            case "exact" -> s.exact = true;
            case "tun-info" -> s.tunInfo = true;
            default -> throw new IpvsadmUsageException("invalid option --" + o.name());
        }
    }

    private static void checkNoService(State s) {
        if (s.serviceText != null || s.fwmark != 0) {
            throw new IpvsadmUsageException("multiple service options specified");
        }
    }

    private static void service(State s, IpProtocol p, String v) {
        checkNoService(s);
        s.protocol = p;
        s.serviceText = v;
    }

    private static void method(State s, ForwardingMethod m) {
        if (s.method != null) {
            throw new IpvsadmUsageException("multiple forwarding methods specified");
        }
        s.method = m;
    }

    private static long number(String v, long min, long max, String error) {
        try {
            long n = Long.parseLong(v);
            if (n < min || n > max) {
                throw new IpvsadmUsageException(error);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IpvsadmUsageException(error);
        }
    }

    /** An address with optional port: {@code a.b.c.d[:port]}, {@code [v6]:port} or {@code v6}; port -1 when absent. */
    record AddressPort(InetAddress address, int port) {
    }

    static AddressPort addressPort(String text, String error) {
        String host;
        String port = null;
        if (text.startsWith("[")) {
            int close = text.indexOf(']');
            if (close < 0) {
                throw new IpvsadmUsageException(error);
            }
            host = text.substring(1, close);
            String rest = text.substring(close + 1);
            if (!rest.startsWith(":")) {
                // "[2001:db8::99]" without ":port" is refused by a real ipvsadm 1.31 ("illegal real server
                // address[:port] specified"); the unbracketed form is the one without a port.
                throw new IpvsadmUsageException(error);
            }
            port = rest.substring(1);
        } else {
            int colon = text.indexOf(':');
            if (colon >= 0 && text.indexOf(':', colon + 1) >= 0) {
                // Unbracketed IPv6 is an address without a port: a real ipvsadm 1.31 takes "-r 2001:db8::98" as
                // [2001:db8::98] with the service's port (and "[2001:db8::98]" without ":port" as an error).
                colon = -1;
            }
            host = colon >= 0 ? text.substring(0, colon) : text;
            port = colon >= 0 ? text.substring(colon + 1) : null;
        }
        InetAddress address;
        try {
            address = AddressText.parse(host);
        } catch (IllegalArgumentException e) {
            throw new IpvsadmUsageException(error);
        }
        if (text.startsWith("[") && !(address instanceof Inet6Address)) {
            throw new IpvsadmUsageException(error);
        }
        int p = port == null ? -1 : (int) number(port, 0, 65535, error);
        return new AddressPort(address, p);
    }

    private static IpvsadmCommand build(State s) {
        ListFormat format = new ListFormat(s.numeric, s.connections, s.timeout, s.daemon, s.stats, s.rate,
                s.thresholds, s.persistentConn, s.noSort, s.exact, s.tunInfo);
        ServiceKey key = serviceKey(s);
        return switch (s.kind) {
            case ADD_SERVICE, EDIT_SERVICE -> new IpvsadmCommand(s.kind, requireService(key), virtualService(s, requireService(key)),
                    null, null, null, null, format);
            case DELETE_SERVICE -> new IpvsadmCommand(s.kind, requireService(key), null, null, null, null, null, format);
            case ADD_SERVER, EDIT_SERVER, DELETE_SERVER -> new IpvsadmCommand(s.kind, requireService(key), null,
                    destination(s, requireService(key)), null, null, null, format);
            case LIST -> {
                checkListOptions(s, key);
                yield new IpvsadmCommand(s.kind, key, null, null, null, null, null, format);
            }
            case ZERO -> new IpvsadmCommand(s.kind, key, null, null, null, null, null, format);
            case SET_TIMEOUTS -> new IpvsadmCommand(s.kind, null, null, null, timeouts(s), null, null, format);
            case START_DAEMON -> new IpvsadmCommand(s.kind, null, null, null, null, daemon(s), daemonState(s), format);
            case STOP_DAEMON -> new IpvsadmCommand(s.kind, null, null, null, null, null, daemonState(s), format);
            default -> new IpvsadmCommand(s.kind, null, null, null, null, null, null, format);
        };
    }

    /** ipvsadm's commands_v_options for -L: -c, a service, --timeout and --daemon exclude one another. */
    private static void checkListOptions(State s, ServiceKey key) {
        int exclusive = (s.connections ? 1 : 0) + (key != null ? 1 : 0) + (s.timeout ? 1 : 0) + (s.daemon ? 1 : 0);
        if (exclusive > 1) {
            throw new IpvsadmUsageException("Illegal option combination for the list command");
        }
        if (((s.connections || s.timeout || s.daemon) && (s.stats || s.rate || s.thresholds))
                || ((s.timeout || s.daemon) && s.persistentConn)) {
            throw new IpvsadmUsageException("options conflicts in the list command");
        }
    }

    private static ServiceKey requireService(ServiceKey key) {
        if (key == null) {
            throw new IpvsadmUsageException("no service specified");
        }
        return key;
    }

    private static ServiceKey serviceKey(State s) {
        if (s.fwmark != 0) {
            return ServiceKey.fwmark((int) s.fwmark, s.ipv6 ? AddressFamily.INET6 : AddressFamily.INET);
        }
        if (s.serviceText == null) {
            return null;
        }
        AddressPort ap = addressPort(s.serviceText, "illegal virtual server address[:port] specified");
        return ServiceKey.of(s.protocol, ap.address(), Math.max(ap.port(), 0));
    }

    private static VirtualService virtualService(State s, ServiceKey key) {
        String scheduler = s.scheduler != null ? s.scheduler : VirtualService.DEFAULT_SCHEDULER;
        if (scheduler.length() > 15) {
            throw new IpvsadmUsageException("scheduler name too long");
        }
        int flags = 0;
        if (s.schedFlags != null) {
            try {
                flags = ServiceFlags.parse(scheduler, s.schedFlags);
            } catch (IllegalArgumentException e) {
                throw new IpvsadmUsageException(e.getMessage());
            }
        }
        if (s.ops && !key.isFwmark() && key.protocol() != IpProtocol.UDP) {
            throw new IpvsadmUsageException("One-Packet Scheduling is only for UDP virtual services");
        }
        int timeout = s.persistence != null ? s.persistence : 0;
        if (!key.isFwmark() && key.port() == 0 && timeout == 0) {
            throw new IpvsadmUsageException("Zero port specified for non-persistent service");
        }
        int netmask = key.family().hostNetmask();
        if (s.netmask != null) {
            netmask = netmask(s.netmask, key.family());
        }
        return new VirtualService(key, scheduler, flags, timeout, netmask, s.ops, s.pe == null ? "" : s.pe);
    }

    private static int netmask(String text, AddressFamily family) {
        if (family == AddressFamily.INET) {
            try {
                InetAddress a = AddressText.parse(text);
                byte[] b = a.getAddress();
                if (b.length == 4) {
                    return ((b[0] & 0xff) << 24) | ((b[1] & 0xff) << 16) | ((b[2] & 0xff) << 8) | (b[3] & 0xff);
                }
            } catch (IllegalArgumentException e) {
                // fall through to the error below
            }
            throw new IpvsadmUsageException("illegal virtual server netmask specified");
        }
        return (int) number(text, 1, 128, "illegal virtual server netmask specified");
    }

    private static Destination destination(State s, ServiceKey key) {
        if (s.server == null) {
            throw new IpvsadmUsageException("You need to supply the 'real-server' option for the '" + commandName(s.kind) + "' command");
        }
        AddressPort ap = addressPort(s.server, "illegal real server address[:port] specified");
        ForwardingMethod method = s.method != null ? s.method : ForwardingMethod.ROUTE;
        int port = ap.port() >= 0 ? ap.port() : key.port();
        if (s.kind != Kind.DELETE_SERVER) {
            // ipvsadm (add/edit only): DR and TUN cannot change the port, so the destination port is the service
            // port (§2.5). Not for -d, so a NAT server on another port can be deleted without -m.
            if (!key.isFwmark() && (method == ForwardingMethod.ROUTE || method == ForwardingMethod.TUNNEL)) {
                port = key.port();
            }
            if (AddressFamily.of(ap.address()) != key.family() && method != ForwardingMethod.TUNNEL) {
                throw new IpvsadmUsageException("Different address family is allowed only for tunneling servers");
            }
        }
        Tunnel tunnel = Tunnel.IPIP;
        if (s.tunType != null || s.tunPort != null || s.tunChecksum != null) {
            if (method != ForwardingMethod.TUNNEL) {
                throw new IpvsadmUsageException("tunnel options require the ipip forwarding method (-i)");
            }
            TunnelType type = s.tunType != null ? s.tunType : TunnelType.IPIP;
            // ipvsadm's tunnel_types_v_options: ipip takes no options; gue needs a port; gre takes no port
            if (type == TunnelType.IPIP && (s.tunPort != null || s.tunChecksum != null)) {
                throw new IpvsadmUsageException("illegal option for tunnel type ipip");
            }
            if (type == TunnelType.GUE && s.tunPort == null) {
                throw new IpvsadmUsageException("--tun-port is required for tunnel type gue");
            }
            if (type == TunnelType.GRE && (s.tunPort != null || s.tunChecksum == TunnelChecksum.REMCSUM)) {
                throw new IpvsadmUsageException("illegal option for tunnel type gre");
            }
            tunnel = new Tunnel(type, s.tunPort != null ? s.tunPort : 0, s.tunChecksum != null ? s.tunChecksum : TunnelChecksum.NOCSUM);
        }
        return new Destination(ap.address(), port, method, s.weight != null ? s.weight : 1,
                s.upper != null ? s.upper : 0, s.lower != null ? s.lower : 0, tunnel);
    }

    private static String commandName(Kind kind) {
        return switch (kind) {
            case ADD_SERVER -> "add-server";
            case EDIT_SERVER -> "edit-server";
            default -> "delete-server";
        };
    }

    private static Timeouts timeouts(State s) {
        if (s.setArgs.size() != 3) {
            throw new IpvsadmUsageException("--set requires 3 timeout values: tcp tcpfin udp");
        }
        int[] v = new int[3];
        for (int i = 0; i < 3; i++) {
            v[i] = (int) number(s.setArgs.get(i), 0, 86400L * 31, "illegal timeout value " + s.setArgs.get(i));
        }
        return new Timeouts(v[0], v[1], v[2]);
    }

    private static SyncState daemonState(State s) {
        return switch (s.daemonState == null ? "" : s.daemonState) {
            case "master" -> SyncState.MASTER;
            case "backup" -> SyncState.BACKUP;
            default -> throw new IpvsadmUsageException("illegal start-daemon parameter specified");
        };
    }

    private static SyncDaemon daemon(State s) {
        InetAddress group = null;
        if (s.group != null) {
            try {
                group = AddressText.parse(s.group);
            } catch (IllegalArgumentException e) {
                throw new IpvsadmUsageException("illegal IP address for --mcast-group");
            }
        }
        // ipvsadm's DEF_MCAST_IFN when --mcast-interface is not given (§2.5)
        return new SyncDaemon(daemonState(s), s.mcastInterface != null ? s.mcastInterface : "eth0",
                s.syncId != null ? s.syncId : 0, s.maxLen != null ? s.maxLen : 0, group,
                s.mcastPort != null ? s.mcastPort : 0, s.ttl != null ? s.ttl : 0);
    }
}
