package org.lvsha.vrrp.config;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.lvsha.core.net.VirtualAddress;

/**
 * One VRRP instance (virtual router) on one interface.
 *
 * @param name                  operator's name, unique on the node
 * @param vrid                  1–255
 * @param version               2 (IPv4 only, RFC 3768) or 3 (RFC 5798)
 * @param interfaceName         where adverts are sent and the addresses live
 * @param primaryAddress        this node's own address on the interface: the source of its adverts
 * @param addresses             the virtual addresses (all of one family, with labels)
 * @param priority              1–255; 255 = address owner
 * @param advertIntervalCentis  v3: 1–4095 centiseconds; v2: a whole number of seconds 1–255, written in centiseconds
 * @param preempt               Preempt_Mode (RFC 5798 §6.1, default true)
 * @param preemptDelay          keepalived's preempt_delay: after startup, lower-priority masters are tolerated this long
 * @param accept                Accept_Mode (RFC 5798 §6.1): the address layer may accept packets for non-owned addresses
 * @param authPassword          v2 only: simple password (auth type 1), at most 8 bytes, or null
 * @param unicastPeers          empty: multicast to 224.0.0.18 / ff02::12; else adverts go to each peer
 * @param tracks                tracked objects
 *  @param hooks                 hook scripts
 * @param announce              gratuitous ARP / NA plan
 */
public record InstanceConfig(String name, int vrid, int version, String interfaceName, InetAddress primaryAddress,
                             List<VirtualAddress> addresses, int priority, int advertIntervalCentis, boolean preempt,
                             Duration preemptDelay, boolean accept, String authPassword, List<InetAddress> unicastPeers,
                             List<TrackConfig> tracks, NotifyConfig hooks, AnnounceConfig announce) {

    public InstanceConfig {
        addresses = addresses == null ? List.of() : List.copyOf(addresses);
        unicastPeers = unicastPeers == null ? List.of() : List.copyOf(unicastPeers);
        tracks = tracks == null ? List.of() : List.copyOf(tracks);
        hooks = hooks == null ? NotifyConfig.NONE : hooks;
        announce = announce == null ? AnnounceConfig.DEFAULT : announce;
        preemptDelay = preemptDelay == null ? Duration.ZERO : preemptDelay;
        List<String> p = new ArrayList<>();
        String who = "instance " + (name == null || name.isBlank() ? "<unnamed>" : name) + ": ";
        if (name == null || name.isBlank()) {
            p.add(who + "name is required");
        }
        if (vrid < 1 || vrid > 255) {
            p.add(who + "vrid " + vrid + " out of 1-255");
        }
        if (version != 2 && version != 3) {
            p.add(who + "version " + version + " is not 2 or 3");
        }
        if (interfaceName == null || interfaceName.isBlank()) {
            p.add(who + "interface is required");
        }
        if (priority < 1 || priority > 255) {
            p.add(who + "priority " + priority + " out of 1-255 (0 is reserved for the stopping master)");
        }
        if (version == 3 && (advertIntervalCentis < 1 || advertIntervalCentis > 4095)) {
            p.add(who + "advert interval " + advertIntervalCentis + " cs out of 1-4095 (10 ms to 40.95 s)");
        }
        if (version == 2 && (advertIntervalCentis < 100 || advertIntervalCentis > 25500 || advertIntervalCentis % 100 != 0)) {
            p.add(who + "VRRPv2 advert interval must be whole seconds 1-255, got " + advertIntervalCentis + " cs");
        }
        if (preemptDelay.isNegative() || preemptDelay.compareTo(Duration.ofHours(1)) > 0) {
            p.add(who + "preempt delay " + preemptDelay + " out of 0-1h");
        }
        if (addresses.isEmpty()) {
            p.add(who + "at least one virtual address is required");
        }
        if (addresses.size() > 255) {
            p.add(who + "at most 255 virtual addresses fit in an advert");
        }
        if (primaryAddress == null) {
            p.add(who + "primary address (the advert source) is required");
        } else {
            boolean v6 = primaryAddress instanceof Inet6Address;
            for (VirtualAddress a : addresses) {
                if (a.ipv6() != v6) {
                    p.add(who + "address " + a + " is not of the primary address's family");
                }
            }
            if (v6 && !primaryAddress.isLinkLocalAddress()) {
                // RFC 5798 §5.1.2.1: the source of an IPv6 advert is the interface's link-local address.
                p.add(who + "IPv6 primary address " + primaryAddress.getHostAddress() + " must be link-local (fe80::/10)");
            }
            if (v6 && version == 2) {
                p.add(who + "VRRPv2 is IPv4 only; use version 3 for IPv6");
            }
            for (InetAddress peer : unicastPeers) {
                if ((peer instanceof Inet6Address) != v6) {
                    p.add(who + "unicast peer " + peer.getHostAddress() + " is not of the primary address's family");
                }
            }
        }
        if (authPassword != null) {
            if (version != 2) {
                p.add(who + "authentication exists only in VRRPv2 (RFC 5798 §9 removed it)");
            } else if (authPassword.getBytes(StandardCharsets.UTF_8).length > 8) {
                p.add(who + "VRRPv2 password longer than 8 bytes");
            }
        }
        for (TrackConfig t : tracks) {
            if (t.weight() < -254 || t.weight() > 254) {
                p.add(who + t.describe() + ": weight " + t.weight() + " out of -254..254");
            }
            if (t instanceof TrackConfig.Script s) {
                if (s.command().isEmpty()) {
                    p.add(who + t.describe() + ": command is empty");
                }
                if (s.rise() < 1 || s.fall() < 1) {
                    p.add(who + t.describe() + ": rise and fall must be >= 1");
                }
                if (s.interval() == null || s.interval().isNegative() || s.interval().isZero()) {
                    p.add(who + t.describe() + ": interval must be > 0");
                }
                if (s.timeout() == null || s.timeout().isNegative() || s.timeout().isZero()) {
                    p.add(who + t.describe() + ": timeout must be > 0");
                }
            }
            if (t instanceof TrackConfig.File f && (f.interval() == null || f.interval().isNegative() || f.interval().isZero())) {
                p.add(who + t.describe() + ": interval must be > 0");
            }
        }
        if (!p.isEmpty()) {
            throw new ConfigException(p);
        }
    }

    public boolean ipv6() {
        return primaryAddress instanceof Inet6Address;
    }

    public boolean owner() {
        return priority == 255;
    }

    /** Interval in the unit of the advert field: centiseconds (v3) or seconds (v2). */
    public int wireInterval() {
        return version == 3 ? advertIntervalCentis : advertIntervalCentis / 100;
    }

    /** A v3 instance with the defaults of RFC 5798 §6.1 (1 s, preempt on, accept off). */
    public static InstanceConfig v3(String name, int vrid, String interfaceName, InetAddress primary, int priority,
                                    List<VirtualAddress> addresses) {
        return new InstanceConfig(name, vrid, 3, interfaceName, primary, addresses, priority, 100, true, Duration.ZERO,
                false, null, List.of(), List.of(), NotifyConfig.NONE, AnnounceConfig.DEFAULT);
    }

    public InstanceConfig withPriority(int p) {
        return new InstanceConfig(name, vrid, version, interfaceName, primaryAddress, addresses, p, advertIntervalCentis,
                preempt, preemptDelay, accept, authPassword, unicastPeers, tracks, hooks, announce);
    }

    public InstanceConfig withInterval(int centis) {
        return new InstanceConfig(name, vrid, version, interfaceName, primaryAddress, addresses, priority, centis,
                preempt, preemptDelay, accept, authPassword, unicastPeers, tracks, hooks, announce);
    }

    public InstanceConfig withPreempt(boolean on, Duration delay) {
        return new InstanceConfig(name, vrid, version, interfaceName, primaryAddress, addresses, priority, advertIntervalCentis,
                on, delay, accept, authPassword, unicastPeers, tracks, hooks, announce);
    }

    public InstanceConfig withTracks(List<TrackConfig> t) {
        return new InstanceConfig(name, vrid, version, interfaceName, primaryAddress, addresses, priority, advertIntervalCentis,
                preempt, preemptDelay, accept, authPassword, unicastPeers, t, hooks, announce);
    }

    public InstanceConfig withUnicastPeers(List<InetAddress> peers) {
        return new InstanceConfig(name, vrid, version, interfaceName, primaryAddress, addresses, priority, advertIntervalCentis,
                preempt, preemptDelay, accept, authPassword, peers, tracks, hooks, announce);
    }

    public InstanceConfig withAnnounce(AnnounceConfig a) {
        return new InstanceConfig(name, vrid, version, interfaceName, primaryAddress, addresses, priority, advertIntervalCentis,
                preempt, preemptDelay, accept, authPassword, unicastPeers, tracks, hooks, a);
    }

    public InstanceConfig withNotify(NotifyConfig n) {
        return new InstanceConfig(name, vrid, version, interfaceName, primaryAddress, addresses, priority, advertIntervalCentis,
                preempt, preemptDelay, accept, authPassword, unicastPeers, tracks, n, announce);
    }

    /** VRRPv2 variant of this instance: interval in whole seconds, optional password. */
    public InstanceConfig asV2(String password) {
        return new InstanceConfig(name, vrid, 2, interfaceName, primaryAddress, addresses, priority, advertIntervalCentis,
                preempt, preemptDelay, accept, password, unicastPeers, tracks, hooks, announce);
    }
}
