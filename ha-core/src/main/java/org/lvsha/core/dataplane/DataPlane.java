package org.lvsha.core.dataplane;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

import org.lvsha.core.ipvs.ConnectionEntry;
import org.lvsha.core.ipvs.Destination;
import org.lvsha.core.ipvs.DestinationStatus;
import org.lvsha.core.ipvs.ForwardingMethod;
import org.lvsha.core.ipvs.Rates;
import org.lvsha.core.ipvs.ServiceStatus;
import org.lvsha.core.ipvs.Stats;
import org.lvsha.core.ipvs.Timeouts;
import org.lvsha.core.platform.LinuxSocket;
import org.lvsha.core.platform.Native;
import org.lvsha.core.platform.packet.PacketRing;
import org.lvsha.core.platform.rtnl.Link;
import org.lvsha.core.platform.rtnl.Neighbour;
import org.lvsha.core.platform.rtnl.RtNetlink;

/**
 * The embedded userspace IPVS data plane: DR and NAT forwarding of IPv4 TCP/UDP virtual services between an
 * outside interface (clients, VIPs) and an inside interface (real servers), in the network namespace of the
 * thread that starts it.
 *
 * <p><b>Threading.</b> {@code workers} {@link PacketWorker} threads (default: one per core), each with a
 * TPACKET_V2 ring on the outside interface and one on the inside interface; the rings of each interface form a
 * PACKET_FANOUT_CBPF group whose program sends a frame to worker (client address + client port) mod workers,
 * from the source of requests and the destination of NAT replies, so each worker owns its connections alone
 * (its {@link ConnectionTable} shard, no lock on the packet path). New connections schedule under the one
 * {@link ForwardingTable} lock, which also guards the shared persistence-template table (a client's template must
 * be seen by every worker). A housekeeping thread expires templates, estimates rates every 2 s and resolves
 * real servers' MACs. Control calls ({@link #apply}, {@link #insert}, {@link #connections}) come from any thread;
 * inserts and listings are handed to the owning worker through its inbox.
 */
public final class DataPlane implements AutoCloseable {

    /** @param connectionsPerWorker connection-table capacity of each worker's shard */
    public record Config(String outsideInterface, String insideInterface, int workers, int connectionsPerWorker,
                         String nftTable) {
        public static Config of(String outside, String inside) {
            return new Config(outside, inside, Math.min(2, Runtime.getRuntime().availableProcessors()), 1 << 18,
                    NftDropRules.TABLE);
        }

        public Config withWorkers(int n) {
            return new Config(outsideInterface, insideInterface, n, connectionsPerWorker, nftTable);
        }

        public Config withCapacity(int n) {
            return new Config(outsideInterface, insideInterface, workers, n, nftTable);
        }
    }

    private static final int PACKET_QDISC_BYPASS = 20;
    /**
     * 128 blocks of 64 KiB = 4096 frames per ring (8 MiB): a worker preempted for ~100 ms on a busy host at
     * 30 000 frames/s must not lose frames to a full ring.
     */
    private static final int RING_BLOCKS = 128;

    final ForwardingTable forwarding;
    final int outsideIfIndex;
    final int insideIfIndex;
    final long outsideMac;
    final long insideMac;
    private final Config config;
    private final NftDropRules nft;
    private final List<PacketRing> outsideRings = new ArrayList<>();
    private final List<PacketRing> insideRings = new ArrayList<>();
    private final List<LinuxSocket> senders = new ArrayList<>();
    private final List<PacketWorker> workers = new ArrayList<>();
    private final ListenerSlot listener = new ListenerSlot();
    private final Thread housekeeping;
    private final long startNanos = System.nanoTime();
    private volatile int[] tcpTimeouts = ConnectionStates.tcpTimeoutsMillis(Timeouts.DEFAULTS);
    private volatile int udpTimeout = Timeouts.DEFAULTS.udp() * 1000;
    private volatile boolean resolutionRequested;
    /** The receive rules the rings and the nft table were last given (guarded by this). */
    private List<ServiceFilter.Rule> installedRules;
    private volatile boolean closed;
    private final RateEstimator serviceRates = new RateEstimator(ForwardingTable.MAX_SERVICES);
    private final RateEstimator destinationRates = new RateEstimator(ForwardingTable.MAX_DESTINATIONS);

    private DataPlane(Config config, Link outside, Link inside) {
        this.config = config;
        this.outsideIfIndex = outside.index();
        this.insideIfIndex = inside.index();
        this.outsideMac = macValue(outside.mac().bytes());
        this.insideMac = macValue(inside.mac().bytes());
        this.nft = new NftDropRules(config.nftTable());
        this.forwarding = new ForwardingTable(config.connectionsPerWorker(), listener);
        this.housekeeping = new Thread(this::housekeeping, "lvsha-dataplane-housekeeping");
        housekeeping.setDaemon(true);
    }

    /**
     * Starts the data plane on the two interfaces with an empty table. A drop table left by a crashed run is
     * removed first. On any failure everything made so far is released before the exception propagates.
     */
    public static DataPlane start(Config config) {
        Link outside;
        Link inside;
        try (RtNetlink rtnl = RtNetlink.open()) {
            outside = rtnl.link(config.outsideInterface()).orElseThrow(
                    () -> new IllegalArgumentException("no interface " + config.outsideInterface()));
            inside = rtnl.link(config.insideInterface()).orElseThrow(
                    () -> new IllegalArgumentException("no interface " + config.insideInterface()));
        }
        DataPlane p = new DataPlane(config, outside, inside);
        try {
            p.nft.remove();
            int group = (int) (ProcessHandle.current().pid() & 0x7fff) << 1;
            for (int i = 0; i < config.workers(); i++) {
                PacketRing out = PacketRing.open(p.outsideIfIndex, org.lvsha.core.platform.packet.BpfProgram.rejectAll(), RING_BLOCKS);
                p.outsideRings.add(out);
                PacketRing in = PacketRing.open(p.insideIfIndex, org.lvsha.core.platform.packet.BpfProgram.rejectAll(), RING_BLOCKS);
                p.insideRings.add(in);
                if (config.workers() > 1) {
                    out.joinFanout(group, PacketRing.PACKET_FANOUT_CBPF, ServiceFilter.clientShard(true, config.workers()));
                    in.joinFanout(group + 1, PacketRing.PACKET_FANOUT_CBPF, ServiceFilter.clientShard(false, config.workers()));
                }
                LinuxSocket tx = LinuxSocket.open(Native.AF_PACKET, Native.SOCK_RAW, 0, "AF_PACKET sender " + i);
                p.senders.add(tx);
                // Forwarded frames go straight to the driver, as the kernel's own forwarding of them would
                // (PACKET_QDISC_BYPASS, linux/if_packet.h; no qdisc on veth anyway, but real NICs have one).
                tx.setInt(Native.SOL_PACKET, PACKET_QDISC_BYPASS, 1, "PACKET_QDISC_BYPASS");
                p.workers.add(new PacketWorker(i, p, out, in, tx, config.connectionsPerWorker(), p.listener));
            }
            for (PacketWorker w : p.workers) {
                w.start();
            }
            p.housekeeping.start();
            return p;
        } catch (RuntimeException | Error e) {
            p.close();
            throw e;
        }
    }

    static long macValue(byte[] mac) {
        long v = 0;
        for (int i = 0; i < 6; i++) {
            v = (v << 8) | (mac[i] & 0xff);
        }
        return v;
    }

    long nowMillis() {
        return (System.nanoTime() - startNanos) / 1_000_000L;
    }

    int tcpTimeout(int state) {
        return tcpTimeouts[state];
    }

    int udpTimeout() {
        return udpTimeout;
    }

    void requestResolution() {
        resolutionRequested = true;
    }

    /** Sets the listener that receives every connection event of every worker and of the template table. */
    public void setConnectionListener(ConnectionListener l) {
        listener.delegate = l == null ? ConnectionListener.NONE : l;
    }

    /**
     * Applies the control table: forwarding entries, receive filters, the nft drop table, timeouts, and the real
     * servers' MACs. A real-server address new to the data plane is resolved before its destination is installed
     * (up to 1 s in all), so the first connection scheduled to it is not dropped for want of a MAC; one still
     * unresolved then is retried in the background. The receive filters and the nft table change only when the
     * set of virtual services (or NAT real servers) does: a weight change, the common case of health checks,
     * costs no {@code nft} process.
     */
    public synchronized void apply(List<ServiceStatus> table, Timeouts timeouts) {
        tcpTimeouts = ConnectionStates.tcpTimeoutsMillis(timeouts);
        udpTimeout = timeouts.udp() * 1000;
        Map<Integer, Long> macs = forwarding.knownMacs();
        Set<Integer> unknown = new LinkedHashSet<>();
        for (ServiceStatus s : table) {
            if (ForwardingTable.forwardable(s.service().key())) {
                for (DestinationStatus ds : s.destinations()) {
                    if (ds.destination().address() instanceof Inet4Address) {
                        int a = intOf(ds.destination().address());
                        if (!macs.containsKey(a)) {
                            unknown.add(a);
                        }
                    }
                }
            }
        }
        macs.putAll(resolveMacs(unknown, 1000));
        List<ForwardingDestination> added = forwarding.apply(table, macs);
        List<ServiceFilter.Rule> requests = new ArrayList<>();
        List<ServiceFilter.Rule> replies = new ArrayList<>();
        List<ServiceFilter.Rule> all = new ArrayList<>();
        for (ServiceStatus s : table) {
            if (!ForwardingTable.forwardable(s.service().key())) {
                continue;
            }
            int proto = s.service().key().protocol().number();
            int vaddr = intOf(s.service().key().address());
            requests.add(new ServiceFilter.Rule(proto, false, vaddr, s.service().key().port()));
            for (DestinationStatus ds : s.destinations()) {
                Destination d = ds.destination();
                if (d.method() == ForwardingMethod.MASQ && d.address() instanceof Inet4Address) {
                    ServiceFilter.Rule r = new ServiceFilter.Rule(proto, true, intOf(d.address()),
                            d.port() != 0 ? d.port() : s.service().key().port());
                    if (!replies.contains(r)) {
                        replies.add(r);
                    }
                }
            }
        }
        all.addAll(requests);
        all.addAll(replies);
        if (!all.equals(installedRules)) {
            var requestFilter = ServiceFilter.receive(requests);
            var replyFilter = ServiceFilter.receive(replies);
            for (PacketRing r : outsideRings) {
                r.setFilter(requestFilter);
            }
            for (PacketRing r : insideRings) {
                r.setFilter(replyFilter);
            }
            nft.install(all);
            installedRules = List.copyOf(all);
        }
        if (added.stream().anyMatch(d -> d.mac == 0)) {
            requestResolution();
        }
    }

    static int intOf(InetAddress a) {
        byte[] b = a.getAddress();
        return ((b[0] & 0xff) << 24) | ((b[1] & 0xff) << 16) | ((b[2] & 0xff) << 8) | (b[3] & 0xff);
    }

    static InetAddress addressOf(int a) {
        try {
            return InetAddress.getByAddress(new byte[] {(byte) (a >>> 24), (byte) (a >>> 16), (byte) (a >>> 8), (byte) a});
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Refreshes the destinations' MACs ({@link #resolveMacs}); one not resolved keeps the MAC it had. */
    private void resolve(List<ForwardingDestination> destinations, long waitMillis) {
        Set<Integer> addresses = new LinkedHashSet<>();
        for (ForwardingDestination d : destinations) {
            addresses.add(d.address);
        }
        Map<Integer, Long> macs = resolveMacs(addresses, waitMillis);
        for (ForwardingDestination d : destinations) {
            Long mac = macs.get(d.address);
            if (mac != null) {
                d.mac = mac;
            }
        }
    }

    /**
     * The MACs of {@code addresses} on the inside interface, from its neighbour table; an address without a usable
     * entry gets a UDP datagram to its discard port, which makes the kernel resolve it (ARP), and is polled for up
     * to {@code waitMillis} in all. Addresses still unresolved are absent from the result.
     */
    private Map<Integer, Long> resolveMacs(Set<Integer> addresses, long waitMillis) {
        Map<Integer, Long> found = new HashMap<>();
        if (addresses.isEmpty()) {
            return found;
        }
        List<Integer> pending = new ArrayList<>();
        try (RtNetlink rtnl = RtNetlink.open(); DatagramSocket probe = new DatagramSocket()) {
            for (int a : addresses) {
                if (!lookup(rtnl, a, found)) {
                    pending.add(a);
                    try {
                        probe.send(new DatagramPacket(new byte[1], 1, addressOf(a), 9));
                    } catch (IOException e) {
                        // Unreachable right now; retried later.
                    }
                }
            }
            long deadline = System.nanoTime() + waitMillis * 1_000_000L;
            while (!pending.isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(20);
                pending.removeIf(a -> lookup(rtnl, a, found));
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot open a probe socket: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return found;
    }

    private boolean lookup(RtNetlink rtnl, int address, Map<Integer, Long> found) {
        var n = rtnl.neighbour(insideIfIndex, addressOf(address));
        if (n.isPresent() && n.get().mac() != null
                && (n.get().state() & (Neighbour.NUD_INCOMPLETE | Neighbour.NUD_FAILED)) == 0) {
            found.put(address, macValue(n.get().mac().bytes()));
            return true;
        }
        return false;
    }

    private void housekeeping() {
        long lastRates = nowMillis();
        long lastRefresh = lastRates;
        while (!closed) {
            try {
                Thread.sleep(100);
                long now = nowMillis();
                forwarding.expireTemplates(now);
                if (now - lastRates >= 2000) {
                    estimateRates((now - lastRates) / 1000.0);
                    lastRates = now;
                }
                if (resolutionRequested || now - lastRefresh >= 5000) {
                    resolutionRequested = false;
                    lastRefresh = now;
                    List<ForwardingDestination> all = forwarding.availableDestinations();
                    resolve(all, 0);
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                System.err.println("lvsha-dataplane-housekeeping: " + e);
            }
        }
    }

    private void estimateRates(double seconds) {
        long[] svc = new long[ForwardingTable.MAX_SERVICES * WorkerCounters.STATS];
        long[] dst = new long[ForwardingTable.MAX_DESTINATIONS * WorkerCounters.STATS];
        for (PacketWorker w : workers) {
            for (int i = 0; i < svc.length; i++) {
                svc[i] += w.counters.serviceStats[i];
            }
            for (int i = 0; i < dst.length; i++) {
                dst[i] += w.counters.destinationStats[i];
            }
        }
        serviceRates.sample(svc, seconds);
        destinationRates.sample(dst, seconds);
    }

    /**
     * Kernel-style rate estimation (ip_vs_est.c): every 2 s the rate over the interval is blended into the
     * estimate with weight 1/4 for connections and packets and bytes alike.
     */
    private static final class RateEstimator {
        private final long[] last;
        private final double[] rates;

        RateEstimator(int ids) {
            last = new long[ids * WorkerCounters.STATS];
            rates = new double[ids * WorkerCounters.STATS];
        }

        synchronized void sample(long[] totals, double seconds) {
            for (int i = 0; i < totals.length; i++) {
                long delta = totals[i] - last[i];
                last[i] = totals[i];
                double rate = delta < 0 ? 0 : delta / seconds;
                rates[i] += (rate - rates[i]) / 4;
            }
        }

        synchronized Rates rates(int id) {
            int b = id * WorkerCounters.STATS;
            return new Rates(Math.round(rates[b]), Math.round(rates[b + 1]), Math.round(rates[b + 2]),
                    Math.round(rates[b + 3]), Math.round(rates[b + 4]));
        }

        synchronized void zero(int id) {
            int b = id * WorkerCounters.STATS;
            for (int k = 0; k < WorkerCounters.STATS; k++) {
                rates[b + k] = 0;
            }
        }
    }

    private Stats sum(boolean service, int id, long[] zeroBase) {
        long[] v = new long[WorkerCounters.STATS];
        for (PacketWorker w : workers) {
            long[] a = service ? w.counters.serviceStats : w.counters.destinationStats;
            for (int k = 0; k < WorkerCounters.STATS; k++) {
                v[k] += a[id * WorkerCounters.STATS + k];
            }
        }
        if (zeroBase != null) {
            for (int k = 0; k < WorkerCounters.STATS; k++) {
                v[k] -= zeroBase[id * WorkerCounters.STATS + k];
            }
        }
        return new Stats(v[0], v[1], v[2], v[3], v[4]);
    }

    private final long[] serviceZero = new long[ForwardingTable.MAX_SERVICES * WorkerCounters.STATS];
    private final long[] destinationZero = new long[ForwardingTable.MAX_DESTINATIONS * WorkerCounters.STATS];

    /** The listing with live counters, connection counts and rates filled in. */
    public List<ServiceStatus> withLiveCounters(List<ServiceStatus> table) {
        List<ServiceStatus> out = new ArrayList<>(table.size());
        for (ServiceStatus s : table) {
            int sid = forwarding.serviceId(s.service().key());
            if (sid < 0) {
                out.add(s);
                continue;
            }
            List<DestinationStatus> ds = new ArrayList<>();
            for (DestinationStatus d : s.destinations()) {
                int[] c = forwarding.counts(s.service().key(), d.destination().address(), d.destination().port());
                if (c == null) {
                    ds.add(d);
                } else {
                    ds.add(new DestinationStatus(d.destination(), c[0], c[1], c[2], sum(false, c[3], destinationZero),
                            destinationRates.rates(c[3])));
                }
            }
            out.add(new ServiceStatus(s.service(), sum(true, sid, serviceZero), serviceRates.rates(sid), ds));
        }
        return out;
    }

    /** ZERO: counters restart from the current totals (workers' counters are never written by others). */
    public synchronized void zero(List<ServiceStatus> services) {
        for (ServiceStatus s : services) {
            int sid = forwarding.serviceId(s.service().key());
            if (sid < 0) {
                continue;
            }
            Stats now = sum(true, sid, null);
            setBase(serviceZero, sid, now);
            serviceRates.zero(sid);
            for (DestinationStatus d : s.destinations()) {
                int[] c = forwarding.counts(s.service().key(), d.destination().address(), d.destination().port());
                if (c != null) {
                    setBase(destinationZero, c[3], sum(false, c[3], null));
                    destinationRates.zero(c[3]);
                }
            }
        }
    }

    private static void setBase(long[] base, int id, Stats s) {
        int b = id * WorkerCounters.STATS;
        base[b] = s.conns();
        base[b + 1] = s.inPackets();
        base[b + 2] = s.outPackets();
        base[b + 3] = s.inBytes();
        base[b + 4] = s.outBytes();
    }

    /** Every connection and template, as {@code ipvsadm -Lnc} lists them. */
    public List<ConnectionEntry> connections() {
        List<ConnectionEntry> out = new ArrayList<>();
        List<CompletableFuture<List<ConnectionEntry>>> parts = new ArrayList<>();
        for (PacketWorker w : workers) {
            CompletableFuture<List<ConnectionEntry>> f = new CompletableFuture<>();
            w.submit(worker -> f.complete(list(worker.table)));
            parts.add(f);
        }
        synchronized (forwarding.lock) {
            out.addAll(list(forwarding.templates));
        }
        for (CompletableFuture<List<ConnectionEntry>> f : parts) {
            out.addAll(await(f));
        }
        return out;
    }

    private static <T> T await(CompletableFuture<T> f) {
        try {
            return f.get(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("data plane worker did not answer: " + e, e);
        }
    }

    private List<ConnectionEntry> list(ConnectionTable t) {
        long now = nowMillis();
        List<ConnectionEntry> out = new ArrayList<>(t.size());
        for (int id = 0; id < t.capacity(); id++) {
            if (!t.live(id)) {
                continue;
            }
            int proto = t.protocol(id);
            String protoName = proto == Ipv4Frame.PROTO_TCP ? "TCP" : proto == Ipv4Frame.PROTO_UDP ? "UDP" : "IP";
            String state;
            if (t.template(id)) {
                state = "NONE";
            } else if (proto == Ipv4Frame.PROTO_TCP) {
                state = ConnectionStates.tcpName(t.state(id));
            } else {
                state = "UDP";
            }
            long left = Math.max(0, (t.expiresAt(id) - now) / 1000);
            out.add(new ConnectionEntry(protoName, addressOf(t.clientAddress(id)), t.clientPort(id),
                    addressOf(t.virtualAddress(id)), t.virtualPort(id), addressOf(t.destinationAddress(id)),
                    t.destinationPort(id), state, t.flags(id) & 0xffff, left, "", ""));
        }
        return out;
    }

    /**
     * Inserts or updates a connection from outside (sync): a template goes to the shared template table, a
     * connection to the worker owning its client (kernel {@code ip_vs_proc_conn} rules: same real server →
     * state and timeout updated; another real server → the old entry is replaced). Returns false when the service
     * or destination is unknown here (the kernel would keep it unbound; this data plane needs the destination to
     * forward) or the table is full. Waits for the owning worker; see {@link #insertAsync} for a caller that
     * must not wait.
     */
    public boolean insert(SyncedConnection c) {
        CompletableFuture<Boolean> done = new CompletableFuture<>();
        insertAsync(c, done::complete);
        return await(done);
    }

    /**
     * {@link #insert} without waiting: {@code done} receives the result, on the owning worker's thread (or on the
     * caller's, for a refusal or a template). The sync receive thread uses this so that a stream of connections
     * from the peer costs it a queue append each, not a round trip to a worker.
     */
    public void insertAsync(SyncedConnection c, Consumer<Boolean> done) {
        if (!(c.clientAddress() instanceof Inet4Address)) {
            done.accept(false);
            return;
        }
        int proto = c.protocol();
        int caddr = intOf(c.clientAddress());
        int vaddr = intOf(c.virtualAddress());
        int daddr = intOf(c.destinationAddress());
        ForwardingService s = forwarding.index.find(proto, vaddr, c.virtualPort());
        ForwardingDestination d = s == null ? null : forwarding.findDestination(s, daddr, c.destinationPort());
        if (d == null) {
            done.accept(false);
            return;
        }
        if (c.template()) {
            done.accept(insertTemplate(c, proto, caddr, vaddr, daddr, s, d));
            return;
        }
        PacketWorker w = workers.get(ServiceFilter.shardOf(caddr, c.clientPort(), workers.size()));
        w.submit(worker -> done.accept(insertOnWorker(worker, c, s, d, caddr, vaddr, daddr)));
    }

    private boolean insertTemplate(SyncedConnection c, int proto, int caddr, int vaddr, int daddr, ForwardingService s,
                                   ForwardingDestination d) {
        long now = nowMillis();
        int timeout = c.timeoutSeconds() > 0 ? c.timeoutSeconds() * 1000 : s.config.persistenceTimeout() * 1000;
        synchronized (forwarding.lock) {
            ConnectionTable t = forwarding.templates;
            t.applyingSync(true);
            try {
                int id = t.lookupTemplate(proto, caddr, vaddr, c.virtualPort());
                if (id >= 0 && t.destination(id) == d.id) {
                    t.touch(id, now, timeout);
                    return true;
                }
                if (id >= 0) {
                    t.retire(id, now);
                }
                id = t.create(proto, caddr, 0, vaddr, c.virtualPort(), daddr, c.destinationPort(),
                        ConnectionTable.FLAG_TEMPLATE | ConnectionTable.FLAG_SYNC | d.method, s.id, d.id, 0,
                        ConnectionStates.TEMPLATE_NONE, now, timeout, 0);
                if (id >= 0) {
                    d.persistConns++;
                }
                return id >= 0;
            } finally {
                t.applyingSync(false);
            }
        }
    }

    private boolean insertOnWorker(PacketWorker w, SyncedConnection c, ForwardingService s, ForwardingDestination d,
                                   int caddr, int vaddr, int daddr) {
        w.table.applyingSync(true);
        try {
            return applyOnWorker(w, c, s, d, caddr, vaddr, daddr);
        } finally {
            w.table.applyingSync(false);
        }
    }

    private boolean applyOnWorker(PacketWorker w, SyncedConnection c, ForwardingService s, ForwardingDestination d,
                                  int caddr, int vaddr, int daddr) {
        ConnectionTable t = w.table;
        long now = nowMillis();
        int proto = c.protocol();
        boolean tcp = proto == Ipv4Frame.PROTO_TCP;
        int state = tcp ? Math.min(Math.max(c.state(), 0), ConnectionStates.TCP_STATE_COUNT - 1) : ConnectionStates.UDP_NORMAL;
        int timeout = c.timeoutSeconds() > 0 ? c.timeoutSeconds() * 1000 : tcp ? tcpTimeout(state) : udpTimeout();
        boolean active = !tcp || state == ConnectionStates.ESTABLISHED;
        int id = t.lookupIn(proto, caddr, c.clientPort(), vaddr, c.virtualPort());
        if (id >= 0 && t.destination(id) == d.id) {
            boolean wasActive = (t.flags(id) & ConnectionTable.FLAG_INACTIVE) == 0;
            if (wasActive != active) {
                t.setFlags(id, active ? t.flags(id) & ~ConnectionTable.FLAG_INACTIVE : t.flags(id) | ConnectionTable.FLAG_INACTIVE);
                forwarding.activityChanged(d, active);
            }
            t.setState(id, state, now, timeout);
            return true;
        }
        if (id >= 0) {
            t.removeNow(id);
        }
        int flags = d.method | (d.method == 0 ? 0 : ConnectionTable.FLAG_NOOUTPUT)
                | (active ? 0 : ConnectionTable.FLAG_INACTIVE) | ConnectionTable.FLAG_SYNC;
        forwarding.bindInserted(d, active);
        // A sync entry does not carry the client's next-hop MAC: the entry learns it from the client's next packet
        // (PacketWorker.request); a NAT reply before that goes to the Ethernet broadcast address, which a client
        // stack ignores for TCP, so that reply is lost and retransmitted once the client has spoken.
        id = t.create(proto, caddr, c.clientPort(), vaddr, c.virtualPort(), daddr, c.destinationPort(), flags, s.id,
                d.id, 0xffffffffffffL, state, now, timeout, -1);
        if (id < 0) {
            forwarding.unbound(d, active, -1);
            return false;
        }
        return true;
    }

    /** A snapshot of every worker's counters, summed: event and bad-frame names to counts. */
    public java.util.Map<String, Long> counters() {
        java.util.Map<String, Long> out = new java.util.LinkedHashMap<>();
        for (WorkerCounters.Event e : WorkerCounters.Event.values()) {
            long v = 0;
            for (PacketWorker w : workers) {
                v += w.counters.event(e);
            }
            out.put(e.name().toLowerCase(), v);
        }
        for (BadFrame b : BadFrame.values()) {
            long v = 0;
            for (PacketWorker w : workers) {
                v += w.counters.bad(b);
            }
            out.put("bad_" + b.name().toLowerCase(), v);
        }
        return out;
    }

    public int workerCount() {
        return workers.size();
    }

    /** Stops the workers, removes the nft table and releases the rings. Never throws. */
    @Override
    public synchronized void close() {
        closed = true;
        housekeeping.interrupt();
        for (PacketWorker w : workers) {
            w.stop();
        }
        try {
            nft.remove();
        } catch (RuntimeException e) {
            System.err.println("lvsha-dataplane: removing nft table " + config.nftTable() + " failed: " + e.getMessage());
        }
        for (PacketRing r : outsideRings) {
            r.close();
        }
        for (PacketRing r : insideRings) {
            r.close();
        }
        for (LinuxSocket s : senders) {
            s.close();
        }
        outsideRings.clear();
        insideRings.clear();
        senders.clear();
    }

    /** The external listener, swappable while running. */
    private static final class ListenerSlot implements ConnectionListener {
        volatile ConnectionListener delegate = ConnectionListener.NONE;

        @Override
        public void created(ConnectionTable table, int id) {
            delegate.created(table, id);
        }

        @Override
        public void stateChanged(ConnectionTable table, int id, int previousState) {
            delegate.stateChanged(table, id, previousState);
        }

        @Override
        public void refreshed(ConnectionTable table, int id) {
            delegate.refreshed(table, id);
        }

        @Override
        public void expired(ConnectionTable table, int id) {
            delegate.expired(table, id);
        }
    }
}
