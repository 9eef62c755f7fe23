package org.lvsha.core.ipvs.admin;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

import org.lvsha.core.ipvs.AddressFamily;
import org.lvsha.core.ipvs.AddressText;
import org.lvsha.core.ipvs.ConnectionEntry;
import org.lvsha.core.ipvs.Destination;
import org.lvsha.core.ipvs.DestinationStatus;
import org.lvsha.core.ipvs.ForwardingMethod;
import org.lvsha.core.ipvs.IpvsInfo;
import org.lvsha.core.ipvs.ServiceFlags;
import org.lvsha.core.ipvs.ServiceKey;
import org.lvsha.core.ipvs.ServiceStatus;
import org.lvsha.core.ipvs.SyncDaemon;
import org.lvsha.core.ipvs.Timeouts;
import org.lvsha.core.ipvs.TunnelType;
import org.lvsha.core.ipvs.VirtualService;

/**
 * Writes the text of ipvsadm 1.31 byte for byte (§3): {@code -Ln} and its column variants
 * ({@code --stats}, {@code --rate}, {@code --thresholds}, {@code --persistent-conn}, {@code --tun-info},
 * {@code --exact}), {@code -Lnc}, {@code -S -n}, {@code --timeout} and {@code --daemon}. Names are always
 * numeric. Services and destinations are sorted as libipvs sorts them unless {@code --nosort}.
 */
public final class IpvsadmFormatter {

    private IpvsadmFormatter() {
    }

    // ---------------------------------------------------------------- sorting (libipvs ipvs_cmp_*)

    private static int word(byte[] a, int off) {
        return ((a[off] & 0xff) << 24) | ((a[off + 1] & 0xff) << 16) | ((a[off + 2] & 0xff) << 8) | (a[off + 3] & 0xff);
    }

    /**
     * libipvs compares addresses as {@code int r = ntohl(a) - ntohl(b)}: an unsigned difference read as a
     * signed int, which Java's wrapping int subtraction reproduces (including its order for addresses more
     * than 2^31 apart).
     */
    private static int compareAddresses(InetAddress a, InetAddress b) {
        byte[] x = a.getAddress();
        byte[] y = b.getAddress();
        int r = 0;
        for (int i = 0; r == 0 && i < Math.min(x.length, y.length); i += 4) {
            r = word(x, i) - word(y, i);
        }
        return r;
    }

    static final Comparator<ServiceStatus> SERVICE_ORDER = (s1, s2) -> {
        ServiceKey a = s1.service().key();
        ServiceKey b = s2.service().key();
        int r = a.fwmark() - b.fwmark();
        if (r != 0) {
            return r;
        }
        r = a.family().number() - b.family().number();
        if (r != 0) {
            return r;
        }
        r = (a.isFwmark() ? 6 : a.protocol().number()) - (b.isFwmark() ? 6 : b.protocol().number());
        if (r != 0) {
            return r;
        }
        if (!a.isFwmark() && !b.isFwmark()) {
            r = compareAddresses(a.address(), b.address());
        }
        if (r != 0) {
            return r;
        }
        return a.port() - b.port();
    };

    static final Comparator<DestinationStatus> DESTINATION_ORDER = (d1, d2) -> {
        int r = compareAddresses(d1.destination().address(), d2.destination().address());
        if (r != 0) {
            return r;
        }
        return d1.destination().port() - d2.destination().port();
    };

    // ---------------------------------------------------------------- listings

    /** {@code ipvsadm -L[n]} with any column variant: the version line, the title and every service. */
    public static String list(IpvsInfo info, List<ServiceStatus> services, ListFormat f) {
        StringBuilder sb = new StringBuilder();
        sb.append("IP Virtual Server version ").append(info.version()).append(" (size=").append(info.connTableSize()).append(")\n");
        title(sb, f);
        List<ServiceStatus> sorted = new ArrayList<>(services);
        if (!f.noSort()) {
            sorted.sort(SERVICE_ORDER);
        }
        for (ServiceStatus s : sorted) {
            service(sb, s, f, false);
        }
        return sb.toString();
    }

    /** {@code ipvsadm -L -t VIP:port}: the title and that service, without the version line. */
    public static String listOne(ServiceStatus service, ListFormat f) {
        StringBuilder sb = new StringBuilder();
        title(sb, f);
        service(sb, service, f, false);
        return sb.toString();
    }

    /** {@code ipvsadm -S -n}: rules that {@code -R} reads back (§3.4). */
    public static String save(List<ServiceStatus> services, ListFormat f) {
        StringBuilder sb = new StringBuilder();
        List<ServiceStatus> sorted = new ArrayList<>(services);
        if (!f.noSort()) {
            sorted.sort(SERVICE_ORDER);
        }
        for (ServiceStatus s : sorted) {
            service(sb, s, f, true);
        }
        return sb.toString();
    }

    private static void title(StringBuilder sb, ListFormat f) {
        if (f.stats()) {
            sb.append(String.format(Locale.ROOT, "%-33s %8s %8s %8s %8s %8s\n  -> RemoteAddress:Port\n",
                    "Prot LocalAddress:Port", "Conns", "InPkts", "OutPkts", "InBytes", "OutBytes"));
        } else if (f.rate()) {
            sb.append(String.format(Locale.ROOT, "%-33s %8s %8s %8s %8s %8s\n  -> RemoteAddress:Port\n",
                    "Prot LocalAddress:Port", "CPS", "InPPS", "OutPPS", "InBPS", "OutBPS"));
        } else if (f.thresholds()) {
            sb.append(String.format(Locale.ROOT, "%-33s %-10s %-10s %-10s %-10s\n  -> RemoteAddress:Port\n",
                    "Prot LocalAddress:Port", "Uthreshold", "Lthreshold", "ActiveConn", "InActConn"));
        } else if (f.persistentConn()) {
            sb.append(String.format(Locale.ROOT, "%-33s %-9s %-11s %-10s %-10s\n  -> RemoteAddress:Port\n",
                    "Prot LocalAddress:Port", "Weight", "PersistConn", "ActiveConn", "InActConn"));
        } else if (f.tunInfo()) {
            sb.append("Prot LocalAddress:Port Scheduler Flags\n"
                    + "  -> RemoteAddress:Port           Forward TunnelInfo    Weight ActiveConn InActConn\n");
        } else {
            sb.append("Prot LocalAddress:Port Scheduler Flags\n"
                    + "  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn\n");
        }
    }

    private static String serviceName(ServiceKey key, boolean rule) {
        if (key.isFwmark()) {
            // The released ipvsadm 1.31 prints the u32 mark with %d, so marks >= 2^31 read negative (seen on
            // Debian's 1:1.31-1 against a 6.1 kernel: "FWM  -1"); upstream fixed it after the release.
            String mark = Integer.toString(key.fwmark());
            boolean v6 = key.family() == AddressFamily.INET6;
            return rule ? "-f " + mark + (v6 ? " -6" : "") : "FWM  " + mark + (v6 ? " IPv6" : "");
        }
        String vname = AddressText.withPort(key.address(), key.port());
        if (rule) {
            return key.protocol().ipvsadmOption() + " " + vname;
        }
        String name = String.format(Locale.ROOT, "%-4s %s", key.protocol().name(), vname);
        // ipvsadm cuts non-IPv6 service names at 33 characters
        return key.family() != AddressFamily.INET6 && name.length() > 33 ? name.substring(0, 33) : name;
    }

    private static void service(StringBuilder sb, ServiceStatus st, ListFormat f, boolean rule) {
        VirtualService s = st.service();
        String name = serviceName(s.key(), rule);
        boolean v4 = s.key().family() == AddressFamily.INET;
        if (rule) {
            sb.append("-A ").append(name).append(" -s ").append(s.scheduler());
            if (s.persistent()) {
                sb.append(" -p ").append(Integer.toUnsignedString(s.persistenceTimeout()));
                if (s.netmask() != s.key().family().hostNetmask()) {
                    sb.append(" -M ").append(s.netmaskText());
                }
            }
            if (!s.persistenceEngine().isEmpty()) {
                sb.append(" --pe ").append(s.persistenceEngine());
            }
            if (s.onePacket()) {
                sb.append(" -o");
            }
            if (s.schedulerFlags() != 0) {
                sb.append(" -b ").append(ServiceFlags.names(s.scheduler(), s.schedulerFlags()));
            }
        } else if (f.stats()) {
            sb.append(String.format(Locale.ROOT, "%-33s", name));
            largenum(sb, st.stats().conns(), f);
            largenum(sb, st.stats().inPackets(), f);
            largenum(sb, st.stats().outPackets(), f);
            largenum(sb, st.stats().inBytes(), f);
            largenum(sb, st.stats().outBytes(), f);
        } else if (f.rate()) {
            sb.append(String.format(Locale.ROOT, "%-33s", name));
            largenum(sb, st.rates().cps(), f);
            largenum(sb, st.rates().inPps(), f);
            largenum(sb, st.rates().outPps(), f);
            largenum(sb, st.rates().inBps(), f);
            largenum(sb, st.rates().outBps(), f);
        } else {
            sb.append(name).append(' ').append(s.scheduler());
            if (s.schedulerFlags() != 0) {
                sb.append(" (").append(ServiceFlags.names(s.scheduler(), s.schedulerFlags())).append(')');
            }
            if (s.persistent()) {
                sb.append(" persistent ").append(Integer.toUnsignedString(s.persistenceTimeout()));
                if (s.netmask() != s.key().family().hostNetmask()) {
                    sb.append(" mask ").append(s.netmaskText());
                }
                if (!s.persistenceEngine().isEmpty()) {
                    sb.append(" pe ").append(s.persistenceEngine());
                }
            }
            if (s.onePacket()) {
                sb.append(" ops");
            }
        }
        sb.append('\n');
        List<DestinationStatus> dests = new ArrayList<>(st.destinations());
        if (!f.noSort()) {
            dests.sort(DESTINATION_ORDER);
        }
        for (DestinationStatus ds : dests) {
            destination(sb, name, ds, f, rule);
        }
    }

    private static void destination(StringBuilder sb, String serviceName, DestinationStatus ds, ListFormat f, boolean rule) {
        Destination d = ds.destination();
        String dname = AddressText.withPort(d.address(), d.port());
        if (!rule && !(d.address() instanceof Inet6Address) && dname.length() > 28) {
            dname = dname.substring(0, 28);
        }
        if (rule) {
            sb.append("-a ").append(serviceName).append(" -r ").append(dname).append(' ')
                    .append(d.method().ipvsadmSwitch()).append(" -w ").append(d.weight());
            if (d.method() == ForwardingMethod.TUNNEL) {
                TunnelType t = d.tunnel().type();
                sb.append(" --tun-type ").append(t.ipvsadmName());
                if (t == TunnelType.GUE) {
                    sb.append(" --tun-port ").append(d.tunnel().port()).append(' ').append(d.tunnel().checksum().ipvsadmOption());
                } else if (t == TunnelType.GRE) {
                    sb.append(' ').append(d.tunnel().checksum().ipvsadmOption());
                }
            }
            sb.append('\n');
        } else if (f.stats()) {
            sb.append(String.format(Locale.ROOT, "  -> %-28s", dname));
            largenum(sb, ds.stats().conns(), f);
            largenum(sb, ds.stats().inPackets(), f);
            largenum(sb, ds.stats().outPackets(), f);
            largenum(sb, ds.stats().inBytes(), f);
            largenum(sb, ds.stats().outBytes(), f);
            sb.append('\n');
        } else if (f.rate()) {
            // dest rows print CPS, InPPS and OutPPS plainly (§3.2)
            sb.append(String.format(Locale.ROOT, "  -> %-28s %8s %8s %8s", dname, Long.toUnsignedString(ds.rates().cps()),
                    Long.toUnsignedString(ds.rates().inPps()), Long.toUnsignedString(ds.rates().outPps())));
            largenum(sb, ds.rates().inBps(), f);
            largenum(sb, ds.rates().outBps(), f);
            sb.append('\n');
        } else if (f.thresholds()) {
            sb.append(String.format(Locale.ROOT, "  -> %-28s %-10s %-10s %-10s %-10s\n", dname, u(d.upperThreshold()), u(d.lowerThreshold()),
                    u(ds.activeConns()), u(ds.inactiveConns())));
        } else if (f.persistentConn()) {
            sb.append(String.format(Locale.ROOT, "  -> %-28s %-9s %-11s %-10s %-10s\n", dname, u(d.weight()), u(ds.persistConns()),
                    u(ds.activeConns()), u(ds.inactiveConns())));
        } else if (f.tunInfo()) {
            sb.append(String.format(Locale.ROOT, "  -> %-28s %-7s %-13s %-6d %-10s %-10s\n", dname, d.method().listName(), tunnelInfo(d),
                    d.weight(), u(ds.activeConns()), u(ds.inactiveConns())));
        } else {
            sb.append(String.format(Locale.ROOT, "  -> %-28s %-7s %-6d %-10s %-10s\n", dname, d.method().listName(), d.weight(),
                    u(ds.activeConns()), u(ds.inactiveConns())));
        }
    }

    private static String u(int v) {
        return Integer.toUnsignedString(v);
    }

    /** The {@code --tun-info} column: ipip, gue:port:flags, gre:flags, or n/a for non-tunnel destinations. */
    private static String tunnelInfo(Destination d) {
        if (d.method() != ForwardingMethod.TUNNEL) {
            return "n/a";
        }
        return switch (d.tunnel().type()) {
            case IPIP -> "ipip";
            case GUE -> "gue:" + d.tunnel().port() + ":" + d.tunnel().checksum().infoName();
            case GRE -> "gre:" + d.tunnel().checksum().infoName();
        };
    }

    /** ipvsadm's print_largenum: %9 below 1e8, then K/M/G/T with width 8; {@code --exact} widens as needed. */
    static void largenum(StringBuilder sb, long value, ListFormat f) {
        String digits = Long.toUnsignedString(value);
        if (f.exact()) {
            int width = digits.length() <= 8 ? 9 : digits.length() + 1;
            sb.append(" ".repeat(width - digits.length())).append(digits);
            return;
        }
        long i = value;
        if (Long.compareUnsigned(i, 100_000_000L) < 0) {
            sb.append(String.format(Locale.ROOT, "%9d", i));
        } else if (Long.compareUnsigned(i, 1_000_000_000L) < 0) {
            sb.append(String.format(Locale.ROOT, "%8sK", Long.toUnsignedString(Long.divideUnsigned(i, 1000))));
        } else if (Long.compareUnsigned(i, 100_000_000_000L) < 0) {
            sb.append(String.format(Locale.ROOT, "%8sM", Long.toUnsignedString(Long.divideUnsigned(i, 1_000_000))));
        } else if (Long.compareUnsigned(i, 100_000_000_000_000L) < 0) {
            sb.append(String.format(Locale.ROOT, "%8sG", Long.toUnsignedString(Long.divideUnsigned(i, 1_000_000_000L))));
        } else {
            sb.append(String.format(Locale.ROOT, "%8sT", Long.toUnsignedString(Long.divideUnsigned(i, 1_000_000_000_000L))));
        }
    }

    /** {@code ipvsadm -Lnc} (§3.3); with {@code --persistent-conn} the PE columns are added. */
    public static String connections(List<ConnectionEntry> entries, ListFormat f) {
        StringBuilder sb = new StringBuilder("IPVS connection entries\n");
        if (f.persistentConn()) {
            sb.append(String.format(Locale.ROOT, "pro expire %-11s %-18s %-18s %-18s %-16s %s\n",
                    "state", "source", "virtual", "destination", "pe name", "pe_data"));
        } else {
            sb.append(String.format(Locale.ROOT, "pro expire %-11s %-18s %-18s %s\n", "state", "source", "virtual", "destination"));
        }
        for (ConnectionEntry c : entries) {
            long expires = c.expiresSeconds();
            String expire = String.format(Locale.ROOT, "%02d:%02d", expires / 60, expires % 60);
            String cname = AddressText.withPort(c.clientAddress(), c.clientPort());
            String vname = AddressText.withPort(c.virtualAddress(), c.virtualPort());
            String dname = AddressText.withPort(c.destinationAddress(), c.destinationPort());
            if (f.persistentConn() && !c.peName().isEmpty()) {
                sb.append(String.format(Locale.ROOT, "%-3s %-6s %-11s %-18s %-18s %-16s %-18s %s\n",
                        c.protocol(), expire, c.state(), cname, vname, dname, c.peName(), c.peData()));
            } else {
                sb.append(String.format(Locale.ROOT, "%-3s %-6s %-11s %-18s %-18s %s\n", c.protocol(), expire, c.state(), cname, vname, dname));
            }
        }
        return sb.toString();
    }

    /** {@code ipvsadm -L --timeout}. */
    public static String timeouts(Timeouts t) {
        return "Timeout (tcp tcpfin udp): " + t.tcp() + " " + t.tcpFin() + " " + t.udp() + "\n";
    }

    /** {@code ipvsadm -L --daemon}: optional parts only when known (§3.6). */
    public static String daemons(List<SyncDaemon> daemons) {
        StringBuilder sb = new StringBuilder();
        for (SyncDaemon d : daemons) {
            sb.append(d.state().ipvsadmName()).append(" sync daemon (mcast=").append(d.interfaceName())
                    .append(", syncid=").append(d.syncId());
            if (d.maxLen() != 0) {
                sb.append(", maxlen=").append(d.maxLen());
            }
            if (d.group() != null) {
                sb.append(", group=").append(AddressText.of(d.group()));
            }
            if (d.port() != 0) {
                sb.append(", port=").append(d.port());
            }
            if (d.ttl() != 0) {
                sb.append(", ttl=").append(d.ttl());
            }
            sb.append(")\n");
        }
        return sb.toString();
    }
}
