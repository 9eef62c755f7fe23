package org.lvsha.core.ipvs.kernel;

import static org.lvsha.core.ipvs.kernel.IpvsGenl.*;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;

import org.lvsha.core.ipvs.AddressFamily;
import org.lvsha.core.ipvs.AddressText;
import org.lvsha.core.ipvs.Destination;
import org.lvsha.core.ipvs.DestinationStatus;
import org.lvsha.core.ipvs.ForwardingMethod;
import org.lvsha.core.ipvs.IpProtocol;
import org.lvsha.core.ipvs.IpvsInfo;
import org.lvsha.core.ipvs.Rates;
import org.lvsha.core.ipvs.ServiceFlags;
import org.lvsha.core.ipvs.ServiceKey;
import org.lvsha.core.ipvs.ServiceStatus;
import org.lvsha.core.ipvs.Stats;
import org.lvsha.core.ipvs.SyncDaemon;
import org.lvsha.core.ipvs.SyncState;
import org.lvsha.core.ipvs.Timeouts;
import org.lvsha.core.ipvs.Tunnel;
import org.lvsha.core.ipvs.TunnelChecksum;
import org.lvsha.core.ipvs.TunnelType;
import org.lvsha.core.ipvs.VirtualService;

/**
 * Encodes IPVS generic-netlink requests exactly as ipvsadm 1.31 / libipvs builds them (§2.5) and decodes the
 * kernel's replies (§2.2, §2.3). Pure: bytes in, model out.
 */
public final class IpvsMessageCodec {

    private static final int ACK = NLM_F_ACK;
    private static final int DUMP = NLM_F_DUMP;

    private IpvsMessageCodec() {
    }

    // ------------------------------------------------------------------ requests

    public static GenlMessage newService(VirtualService s) {
        return new GenlMessage(CMD_NEW_SERVICE, ACK, serviceAttribute(s).toByteArray());
    }

    public static GenlMessage setService(VirtualService s) {
        return new GenlMessage(CMD_SET_SERVICE, ACK, serviceAttribute(s).toByteArray());
    }

    /** DEL_SERVICE with the full attribute set ipvsadm sends (scheduler ""), of which the kernel uses the identity. */
    public static GenlMessage delService(ServiceKey key) {
        return new GenlMessage(CMD_DEL_SERVICE, ACK, serviceAttribute(identityOnly(key)).toByteArray());
    }

    /**
     * GET_SERVICE doit for one service. libipvs {@code ipvs_get_service} fills a zeroed service with the identity only,
     * so unlike the other identity-only commands the NETMASK it sends is 0, not the host mask (strace of
     * {@code ipvsadm -Ln -t VIP:port} against a 6.1 kernel; the kernel ignores it for a lookup).
     */
    public static GenlMessage getService(ServiceKey key) {
        VirtualService lookup = new VirtualService(key, "", 0, 0, 0, false, "");
        return new GenlMessage(CMD_GET_SERVICE, ACK, serviceAttribute(lookup).toByteArray());
    }

    public static GenlMessage getServices() {
        return new GenlMessage(CMD_GET_SERVICE, DUMP, new byte[0]);
    }

    /** GET_DEST dump: SERVICE{AF, FWMARK} or SERVICE{AF, PROTOCOL, ADDR, PORT} (libipvs ipvs_get_dests). */
    public static GenlMessage getDestinations(ServiceKey key) {
        NetlinkAttributeWriter w = new NetlinkAttributeWriter().beginNested(CMD_ATTR_SERVICE);
        identity(w, key);
        return new GenlMessage(CMD_GET_DEST, DUMP, w.endNested().toByteArray());
    }

    public static GenlMessage newDestination(ServiceKey key, Destination d) {
        return new GenlMessage(CMD_NEW_DEST, ACK, destinationAttributes(key, d));
    }

    public static GenlMessage setDestination(ServiceKey key, Destination d) {
        return new GenlMessage(CMD_SET_DEST, ACK, destinationAttributes(key, d));
    }

    /** DEL_DEST: ipvsadm fills the destination with its defaults (DR, weight 1); the kernel uses ADDR and PORT. */
    public static GenlMessage delDestination(ServiceKey key, InetAddress address, int port) {
        return new GenlMessage(CMD_DEL_DEST, ACK,
                destinationAttributes(key, Destination.of(address, port, ForwardingMethod.ROUTE, 1)));
    }

    public static GenlMessage newDaemon(SyncDaemon d) {
        NetlinkAttributeWriter w = new NetlinkAttributeWriter().beginNested(CMD_ATTR_DAEMON)
                .u32(DAEMON_ATTR_STATE, d.state().code())
                .string(DAEMON_ATTR_MCAST_IFN, d.interfaceName())
                .u32(DAEMON_ATTR_SYNC_ID, d.syncId());
        // Optional parts only when given (§2.5), in libipvs order.
        if (d.maxLen() != 0) {
            w.u16(DAEMON_ATTR_SYNC_MAXLEN, d.maxLen());
        }
        if (d.port() != 0) {
            w.u16(DAEMON_ATTR_MCAST_PORT, d.port()); // host order: the kernel applies htons(port + id)
        }
        if (d.ttl() != 0) {
            w.u8(DAEMON_ATTR_MCAST_TTL, d.ttl());
        }
        if (d.group() instanceof Inet4Address) {
            w.bytes(DAEMON_ATTR_MCAST_GROUP, d.group().getAddress());
        } else if (d.group() != null) {
            w.bytes(DAEMON_ATTR_MCAST_GROUP6, d.group().getAddress());
        }
        return new GenlMessage(CMD_NEW_DAEMON, ACK, w.endNested().toByteArray());
    }

    /** DEL_DAEMON: STATE, an empty MCAST_IFN and SYNC_ID 0, as ipvsadm sends without options; the kernel uses STATE. */
    public static GenlMessage delDaemon(SyncState state) {
        byte[] attrs = new NetlinkAttributeWriter().beginNested(CMD_ATTR_DAEMON)
                .u32(DAEMON_ATTR_STATE, state.code())
                .string(DAEMON_ATTR_MCAST_IFN, "")
                .u32(DAEMON_ATTR_SYNC_ID, 0)
                .endNested().toByteArray();
        return new GenlMessage(CMD_DEL_DAEMON, ACK, attrs);
    }

    public static GenlMessage getDaemons() {
        return new GenlMessage(CMD_GET_DAEMON, DUMP, new byte[0]);
    }

    /** SET_CONFIG (libipvs IPVS_CMD_SET_TIMEOUT); a 0 keeps the kernel's value. */
    public static GenlMessage setTimeouts(Timeouts t) {
        byte[] attrs = new NetlinkAttributeWriter()
                .u32(CMD_ATTR_TIMEOUT_TCP, t.tcp())
                .u32(CMD_ATTR_TIMEOUT_TCP_FIN, t.tcpFin())
                .u32(CMD_ATTR_TIMEOUT_UDP, t.udp())
                .toByteArray();
        return new GenlMessage(CMD_SET_CONFIG, ACK, attrs);
    }

    public static GenlMessage getTimeouts() {
        return new GenlMessage(CMD_GET_CONFIG, ACK, new byte[0]);
    }

    public static GenlMessage getInfo() {
        return new GenlMessage(CMD_GET_INFO, ACK, new byte[0]);
    }

    /** ZERO of everything: no SERVICE attribute (§2.2). */
    public static GenlMessage zeroAll() {
        return new GenlMessage(CMD_ZERO, ACK, new byte[0]);
    }

    public static GenlMessage zero(ServiceKey key) {
        return new GenlMessage(CMD_ZERO, ACK, serviceAttribute(identityOnly(key)).toByteArray());
    }

    public static GenlMessage flush() {
        return new GenlMessage(CMD_FLUSH, ACK, new byte[0]);
    }

    /** The service as ipvsadm sends it for commands other than -A/-E: scheduler "", no flags, host netmask. */
    private static VirtualService identityOnly(ServiceKey key) {
        return new VirtualService(key, "", 0, 0, key.family().hostNetmask(), false, "");
    }

    private static void identity(NetlinkAttributeWriter w, ServiceKey key) {
        w.u16(SVC_ATTR_AF, key.family().number());
        if (key.isFwmark()) {
            w.u32(SVC_ATTR_FWMARK, key.fwmark());
        } else {
            w.u16(SVC_ATTR_PROTOCOL, key.protocol().number());
            w.bytes(SVC_ATTR_ADDR, address16(key.address()));
            w.be16(SVC_ATTR_PORT, key.port());
        }
    }

    private static NetlinkAttributeWriter serviceAttribute(VirtualService s) {
        NetlinkAttributeWriter w = new NetlinkAttributeWriter().beginNested(CMD_ATTR_SERVICE);
        serviceBody(w, s);
        return w.endNested();
    }

    private static void serviceBody(NetlinkAttributeWriter w, VirtualService s) {
        identity(w, s.key());
        w.string(SVC_ATTR_SCHED_NAME, s.scheduler());
        if (!s.persistenceEngine().isEmpty()) {
            w.string(SVC_ATTR_PE_NAME, s.persistenceEngine());
        }
        // struct ip_vs_flags {flags, mask}: ipvsadm always sends mask ~0 so the whole word is replaced (§2.3).
        byte[] flags = new byte[8];
        putLe32(flags, 0, s.flags());
        putLe32(flags, 4, 0xFFFFFFFF);
        w.bytes(SVC_ATTR_FLAGS, flags);
        w.u32(SVC_ATTR_TIMEOUT, s.persistenceTimeout());
        if (s.key().family() == AddressFamily.INET) {
            w.be32(SVC_ATTR_NETMASK, s.netmask());
        } else {
            w.u32(SVC_ATTR_NETMASK, s.netmask());
        }
    }

    private static byte[] destinationAttributes(ServiceKey key, Destination d) {
        NetlinkAttributeWriter w = serviceAttribute(identityOnly(key));
        w.beginNested(CMD_ATTR_DEST)
                .u16(DEST_ATTR_ADDR_FAMILY, d.family().number())
                .bytes(DEST_ATTR_ADDR, address16(d.address()))
                .be16(DEST_ATTR_PORT, d.port())
                .u32(DEST_ATTR_FWD_METHOD, d.method().code())
                .u32(DEST_ATTR_WEIGHT, d.weight())
                .u8(DEST_ATTR_TUN_TYPE, d.tunnel().type().code())
                .be16(DEST_ATTR_TUN_PORT, d.tunnel().port())
                .u16(DEST_ATTR_TUN_FLAGS, d.tunnel().checksum().code())
                .u32(DEST_ATTR_U_THRESH, d.upperThreshold())
                .u32(DEST_ATTR_L_THRESH, d.lowerThreshold())
                .endNested();
        return w.toByteArray();
    }

    /** union nf_inet_addr: IPv4 in the first 4 bytes, 12 zero bytes after it (§2.3 ADDR). */
    static byte[] address16(InetAddress a) {
        byte[] out = new byte[16];
        byte[] raw = a.getAddress();
        System.arraycopy(raw, 0, out, 0, raw.length);
        return out;
    }

    private static void putLe32(byte[] b, int off, int v) {
        b[off] = (byte) v;
        b[off + 1] = (byte) (v >>> 8);
        b[off + 2] = (byte) (v >>> 16);
        b[off + 3] = (byte) (v >>> 24);
    }

    // ------------------------------------------------------------------ replies

    /** The attributes of a reply message after checking its genlmsghdr command. */
    static NetlinkAttributes body(byte[] message, int expectedCommand) {
        if (message.length < 4) {
            throw new MalformedReplyException("generic netlink message shorter than its header: " + message.length);
        }
        int cmd = message[0] & 0xff;
        if (cmd != expectedCommand) {
            throw new MalformedReplyException("expected command " + expectedCommand + ", got " + cmd);
        }
        return NetlinkAttributes.parse(message, 4, message.length - 4);
    }

    /** A NEW_SERVICE reply or dump part, without destinations. */
    public static ServiceStatus decodeService(byte[] message) {
        try {
            return decodeServiceChecked(message);
        } catch (IllegalArgumentException e) {
            // a well-formed attribute whose value the model refuses (unknown family, protocol, state...)
            throw new MalformedReplyException(e.getMessage());
        }
    }

    private static ServiceStatus decodeServiceChecked(byte[] message) {
        NetlinkAttributes s = body(message, CMD_NEW_SERVICE).nested(CMD_ATTR_SERVICE);
        AddressFamily af = AddressFamily.ofNumber(s.u16(SVC_ATTR_AF));
        ServiceKey key;
        int fwmark = s.u32Or(SVC_ATTR_FWMARK, 0);
        if (fwmark != 0) {
            key = ServiceKey.fwmark(fwmark, af);
        } else {
            key = ServiceKey.of(IpProtocol.ofNumber(s.u16(SVC_ATTR_PROTOCOL)), address(s.bytes(SVC_ATTR_ADDR), af), s.be16(SVC_ATTR_PORT));
        }
        byte[] flagsRaw = s.bytes(SVC_ATTR_FLAGS);
        if (flagsRaw.length < 4) {
            throw new MalformedReplyException("IPVS_SVC_ATTR_FLAGS has " + flagsRaw.length + " bytes");
        }
        int flags = (flagsRaw[0] & 0xff) | ((flagsRaw[1] & 0xff) << 8) | ((flagsRaw[2] & 0xff) << 16) | ((flagsRaw[3] & 0xff) << 24);
        int timeout = s.u32Or(SVC_ATTR_TIMEOUT, 0);
        int netmask = af == AddressFamily.INET ? s.be32(SVC_ATTR_NETMASK) : s.u32(SVC_ATTR_NETMASK);
        if ((flags & ServiceFlags.PERSISTENT) == 0) {
            timeout = 0; // the model derives persistence from the timeout
        }
        String pe = s.has(SVC_ATTR_PE_NAME) ? s.string(SVC_ATTR_PE_NAME) : "";
        VirtualService service = new VirtualService(key, s.string(SVC_ATTR_SCHED_NAME), flags & ServiceFlags.SCHED_MASK,
                timeout, netmask, (flags & ServiceFlags.ONEPACKET) != 0, pe);
        return new ServiceStatus(service, stats(s, SVC_ATTR_STATS, SVC_ATTR_STATS64), rates(s, SVC_ATTR_STATS, SVC_ATTR_STATS64), new ArrayList<>());
    }

    /** A NEW_DEST dump part; ADDR_FAMILY absent means the service's family (§2.3). */
    public static DestinationStatus decodeDestination(byte[] message, AddressFamily serviceFamily) {
        try {
            return decodeDestinationChecked(message, serviceFamily);
        } catch (IllegalArgumentException e) {
            // a well-formed attribute whose value the model refuses (unknown family, protocol, state...)
            throw new MalformedReplyException(e.getMessage());
        }
    }

    private static DestinationStatus decodeDestinationChecked(byte[] message, AddressFamily serviceFamily) {
        NetlinkAttributes d = body(message, CMD_NEW_DEST).nested(CMD_ATTR_DEST);
        AddressFamily af = d.has(DEST_ATTR_ADDR_FAMILY) ? AddressFamily.ofNumber(d.u16(DEST_ATTR_ADDR_FAMILY)) : serviceFamily;
        Tunnel tunnel = Tunnel.IPIP;
        if (d.has(DEST_ATTR_TUN_TYPE)) {
            tunnel = new Tunnel(TunnelType.ofCode(d.u8(DEST_ATTR_TUN_TYPE)),
                    d.has(DEST_ATTR_TUN_PORT) ? d.be16(DEST_ATTR_TUN_PORT) : 0,
                    d.has(DEST_ATTR_TUN_FLAGS) ? TunnelChecksum.ofCode(d.u16(DEST_ATTR_TUN_FLAGS)) : TunnelChecksum.NOCSUM);
        }
        Destination dest = new Destination(address(d.bytes(DEST_ATTR_ADDR), af), d.be16(DEST_ATTR_PORT),
                ForwardingMethod.ofCode(d.u32(DEST_ATTR_FWD_METHOD)), d.u32(DEST_ATTR_WEIGHT),
                d.u32Or(DEST_ATTR_U_THRESH, 0), d.u32Or(DEST_ATTR_L_THRESH, 0), tunnel);
        return new DestinationStatus(dest, d.u32Or(DEST_ATTR_ACTIVE_CONNS, 0), d.u32Or(DEST_ATTR_INACT_CONNS, 0),
                d.u32Or(DEST_ATTR_PERSIST_CONNS, 0), stats(d, DEST_ATTR_STATS, DEST_ATTR_STATS64), rates(d, DEST_ATTR_STATS, DEST_ATTR_STATS64));
    }

    public static SyncDaemon decodeDaemon(byte[] message) {
        try {
            return decodeDaemonChecked(message);
        } catch (IllegalArgumentException e) {
            // a well-formed attribute whose value the model refuses (unknown family, protocol, state...)
            throw new MalformedReplyException(e.getMessage());
        }
    }

    private static SyncDaemon decodeDaemonChecked(byte[] message) {
        NetlinkAttributes d = body(message, CMD_NEW_DAEMON).nested(CMD_ATTR_DAEMON);
        InetAddress group = null;
        if (d.has(DAEMON_ATTR_MCAST_GROUP)) {
            group = AddressText.ofBytes(java.util.Arrays.copyOf(d.bytes(DAEMON_ATTR_MCAST_GROUP), 4));
        } else if (d.has(DAEMON_ATTR_MCAST_GROUP6)) {
            group = AddressText.ofBytes(java.util.Arrays.copyOf(d.bytes(DAEMON_ATTR_MCAST_GROUP6), 16));
        }
        return new SyncDaemon(SyncState.ofCode(d.u32(DAEMON_ATTR_STATE)), d.string(DAEMON_ATTR_MCAST_IFN),
                d.u32(DAEMON_ATTR_SYNC_ID),
                d.has(DAEMON_ATTR_SYNC_MAXLEN) ? d.u16(DAEMON_ATTR_SYNC_MAXLEN) : 0, group,
                d.has(DAEMON_ATTR_MCAST_PORT) ? d.u16(DAEMON_ATTR_MCAST_PORT) : 0,
                d.has(DAEMON_ATTR_MCAST_TTL) ? d.u8(DAEMON_ATTR_MCAST_TTL) : 0);
    }

    /** GET_CONFIG reply: SET_CONFIG with the TIMEOUT_* attributes at the top level (§2.1). */
    public static Timeouts decodeTimeouts(byte[] message) {
        try {
            return decodeTimeoutsChecked(message);
        } catch (IllegalArgumentException e) {
            // a well-formed attribute whose value the model refuses (unknown family, protocol, state...)
            throw new MalformedReplyException(e.getMessage());
        }
    }

    private static Timeouts decodeTimeoutsChecked(byte[] message) {
        NetlinkAttributes a = body(message, CMD_SET_CONFIG);
        return new Timeouts(a.u32Or(CMD_ATTR_TIMEOUT_TCP, 0), a.u32Or(CMD_ATTR_TIMEOUT_TCP_FIN, 0), a.u32Or(CMD_ATTR_TIMEOUT_UDP, 0));
    }

    /** GET_INFO reply: SET_INFO with INFO_ATTR_* at the top level (§2.1). */
    public static IpvsInfo decodeInfo(byte[] message) {
        try {
            return decodeInfoChecked(message);
        } catch (IllegalArgumentException e) {
            // a well-formed attribute whose value the model refuses (unknown family, protocol, state...)
            throw new MalformedReplyException(e.getMessage());
        }
    }

    private static IpvsInfo decodeInfoChecked(byte[] message) {
        NetlinkAttributes a = body(message, CMD_SET_INFO);
        return new IpvsInfo(a.u32(INFO_ATTR_VERSION), a.u32(INFO_ATTR_CONN_TAB_SIZE));
    }

    private static InetAddress address(byte[] raw16, AddressFamily af) {
        if (raw16.length < af.addressLength()) {
            throw new MalformedReplyException("address attribute has " + raw16.length + " bytes");
        }
        return AddressText.ofBytes(java.util.Arrays.copyOf(raw16, af.addressLength()));
    }

    /** STATS64 (all u64) when present, else STATS (u32 except the byte counters, §2.3). */
    private static Stats stats(NetlinkAttributes parent, int stats32, int stats64) {
        if (parent.has(stats64)) {
            NetlinkAttributes s = parent.nested(stats64);
            return new Stats(u64(s, STATS_ATTR_CONNS), u64(s, STATS_ATTR_INPKTS), u64(s, STATS_ATTR_OUTPKTS),
                    u64(s, STATS_ATTR_INBYTES), u64(s, STATS_ATTR_OUTBYTES));
        }
        if (parent.has(stats32)) {
            NetlinkAttributes s = parent.nested(stats32);
            return new Stats(u32(s, STATS_ATTR_CONNS), u32(s, STATS_ATTR_INPKTS), u32(s, STATS_ATTR_OUTPKTS),
                    u64(s, STATS_ATTR_INBYTES), u64(s, STATS_ATTR_OUTBYTES));
        }
        return Stats.ZERO;
    }

    private static Rates rates(NetlinkAttributes parent, int stats32, int stats64) {
        if (parent.has(stats64)) {
            NetlinkAttributes s = parent.nested(stats64);
            return new Rates(u64(s, STATS_ATTR_CPS), u64(s, STATS_ATTR_INPPS), u64(s, STATS_ATTR_OUTPPS),
                    u64(s, STATS_ATTR_INBPS), u64(s, STATS_ATTR_OUTBPS));
        }
        if (parent.has(stats32)) {
            NetlinkAttributes s = parent.nested(stats32);
            return new Rates(u32(s, STATS_ATTR_CPS), u32(s, STATS_ATTR_INPPS), u32(s, STATS_ATTR_OUTPPS),
                    u32(s, STATS_ATTR_INBPS), u32(s, STATS_ATTR_OUTBPS));
        }
        return Rates.ZERO;
    }

    private static long u64(NetlinkAttributes s, int type) {
        return s.has(type) ? s.u64(type) : 0;
    }

    private static long u32(NetlinkAttributes s, int type) {
        return s.has(type) ? Integer.toUnsignedLong(s.u32(type)) : 0;
    }
}
