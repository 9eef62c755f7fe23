package org.lvsha.core.ipvs.kernel;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.lvsha.core.ipvs.AddressText;
import org.lvsha.core.ipvs.ConnectionEntry;
import org.lvsha.core.ipvs.Destination;
import org.lvsha.core.ipvs.DestinationStatus;
import org.lvsha.core.ipvs.Errno;
import org.lvsha.core.ipvs.Ipvs;
import org.lvsha.core.ipvs.IpvsException;
import org.lvsha.core.ipvs.IpvsInfo;
import org.lvsha.core.ipvs.IpvsOperation;
import org.lvsha.core.ipvs.ServiceKey;
import org.lvsha.core.ipvs.ServiceStatus;
import org.lvsha.core.ipvs.SyncDaemon;
import org.lvsha.core.ipvs.SyncState;
import org.lvsha.core.ipvs.Timeouts;
import org.lvsha.core.ipvs.VirtualService;
import org.lvsha.core.platform.ErrnoException;

/**
 * The {@link Ipvs} port over the kernel's IPVS generic-netlink family, sending what ipvsadm sends (§2.5) through
 * a {@link GenlTransport}. Errors carry the kernel's errno, the operation and the object. The connection table
 * is read from /proc/net/ip_vs_conn, as ipvsadm -Lnc does.
 *
 * <p>The family id is resolved once per adapter instance (libipvs resolves on every request). A long-lived
 * adapter therefore does not notice an ip_vs module reload, which assigns a new id; the kernel would answer
 * ENOENT, indistinguishable from "no such destination".
 */
public final class KernelIpvs implements Ipvs {

    public static final Path PROC_IP_VS_CONN = Path.of("/proc/net/ip_vs_conn");

    private final GenlTransport transport;
    private final Path connectionTable;
    private int familyId = -1;

    public KernelIpvs(GenlTransport transport) {
        this(transport, PROC_IP_VS_CONN);
    }

    public KernelIpvs(GenlTransport transport, Path connectionTable) {
        this.transport = transport;
        this.connectionTable = connectionTable;
    }

    private synchronized int family(IpvsOperation op) {
        if (familyId < 0) {
            int id = transport.resolveFamily(IpvsGenl.FAMILY_NAME);
            if (id < 0) {
                // ipvsadm: "Can't initialize ipvs: Protocol not available. Are you sure that IP Virtual Server is built in the kernel or as module?"
                throw new IpvsException(Errno.ENOPROTOOPT, op, "generic netlink family IPVS (is the ip_vs module loaded?)");
            }
            familyId = id;
        }
        return familyId;
    }

    private List<byte[]> send(GenlMessage m, IpvsOperation op, String object) {
        GenlReply reply = transport.request(family(op), m.command(), IpvsGenl.VERSION, m.flags(), m.attributes());
        if (reply.errno() != 0) {
            throw new IpvsException(reply.errno(), op, object);
        }
        return reply.messages();
    }

    private static String describe(ServiceKey key, InetAddress address, int port) {
        return key.describe() + " -> " + AddressText.withPort(address, port);
    }

    @Override
    public void addService(VirtualService service) {
        send(IpvsMessageCodec.newService(service), IpvsOperation.ADD_SERVICE, service.key().describe());
    }

    @Override
    public void editService(VirtualService service) {
        send(IpvsMessageCodec.setService(service), IpvsOperation.EDIT_SERVICE, service.key().describe());
    }

    @Override
    public void deleteService(ServiceKey key) {
        send(IpvsMessageCodec.delService(key), IpvsOperation.DELETE_SERVICE, key.describe());
    }

    @Override
    public void addDestination(ServiceKey service, Destination d) {
        send(IpvsMessageCodec.newDestination(service, d), IpvsOperation.ADD_DESTINATION, describe(service, d.address(), d.port()));
    }

    @Override
    public void editDestination(ServiceKey service, Destination d) {
        send(IpvsMessageCodec.setDestination(service, d), IpvsOperation.EDIT_DESTINATION, describe(service, d.address(), d.port()));
    }

    @Override
    public void deleteDestination(ServiceKey service, InetAddress address, int port) {
        send(IpvsMessageCodec.delDestination(service, address, port), IpvsOperation.DELETE_DESTINATION, describe(service, address, port));
    }

    @Override
    public List<ServiceStatus> services() {
        List<ServiceStatus> out = new ArrayList<>();
        for (byte[] m : send(IpvsMessageCodec.getServices(), IpvsOperation.LIST_SERVICES, "")) {
            out.add(withDestinations(IpvsMessageCodec.decodeService(m)));
        }
        return out;
    }

    @Override
    public Optional<ServiceStatus> service(ServiceKey key) {
        GenlMessage m = IpvsMessageCodec.getService(key);
        GenlReply reply = transport.request(family(IpvsOperation.GET_SERVICE), m.command(), IpvsGenl.VERSION, m.flags(), m.attributes());
        if (reply.errno() == Errno.ESRCH.number()) {
            return Optional.empty();
        }
        if (reply.errno() != 0) {
            throw new IpvsException(reply.errno(), IpvsOperation.GET_SERVICE, key.describe());
        }
        if (reply.messages().isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(withDestinations(IpvsMessageCodec.decodeService(reply.messages().get(0))));
    }

    private ServiceStatus withDestinations(ServiceStatus s) {
        ServiceKey key = s.service().key();
        List<DestinationStatus> dests = new ArrayList<>();
        // An unknown service gives an empty dump, not ESRCH (§2.2 GET_DEST).
        for (byte[] m : send(IpvsMessageCodec.getDestinations(key), IpvsOperation.LIST_DESTINATIONS, key.describe())) {
            dests.add(IpvsMessageCodec.decodeDestination(m, key.family()));
        }
        return new ServiceStatus(s.service(), s.stats(), s.rates(), dests);
    }

    @Override
    public void zero() {
        send(IpvsMessageCodec.zeroAll(), IpvsOperation.ZERO, "");
    }

    @Override
    public void zero(ServiceKey key) {
        send(IpvsMessageCodec.zero(key), IpvsOperation.ZERO, key.describe());
    }

    @Override
    public void flush() {
        send(IpvsMessageCodec.flush(), IpvsOperation.FLUSH, "");
    }

    @Override
    public Timeouts timeouts() {
        List<byte[]> r = send(IpvsMessageCodec.getTimeouts(), IpvsOperation.GET_TIMEOUTS, "");
        if (r.isEmpty()) {
            throw new MalformedReplyException("GET_CONFIG returned no message");
        }
        return IpvsMessageCodec.decodeTimeouts(r.get(0));
    }

    @Override
    public void setTimeouts(Timeouts timeouts) {
        send(IpvsMessageCodec.setTimeouts(timeouts), IpvsOperation.SET_TIMEOUTS,
                "tcp " + timeouts.tcp() + " tcpfin " + timeouts.tcpFin() + " udp " + timeouts.udp());
    }

    @Override
    public void startDaemon(SyncDaemon daemon) {
        send(IpvsMessageCodec.newDaemon(daemon), IpvsOperation.START_DAEMON,
                daemon.state().ipvsadmName() + " sync daemon on " + daemon.interfaceName());
    }

    @Override
    public void stopDaemon(SyncState state) {
        try {
            send(IpvsMessageCodec.delDaemon(state), IpvsOperation.STOP_DAEMON, state.ipvsadmName() + " sync daemon");
        } catch (ErrnoException e) {
            // A daemon stopped right after it was started may never be answered: kthread_stop of a thread that has
            // not run yet returns -EINTR, stop_sync_thread passes it up, and netlink_rcv_skb sends no ack at all for
            // -EINTR (Linux 6.1, seen in the kernel-vm guest: the thread gone, no reply queued, no drop counted).
            // The daemon is stopped all the same; so a silent kernel is asked what runs. (The IPVS family's
            // commands are serialised, so the listing also waits for a stop that is merely slow.)
            if (e.errno() != org.lvsha.core.platform.Errno.ETIMEDOUT || daemons().stream().anyMatch(d -> d.state() == state)) {
                throw e;
            }
        }
    }

    @Override
    public List<SyncDaemon> daemons() {
        List<SyncDaemon> out = new ArrayList<>();
        for (byte[] m : send(IpvsMessageCodec.getDaemons(), IpvsOperation.LIST_DAEMONS, "")) {
            out.add(IpvsMessageCodec.decodeDaemon(m));
        }
        return out;
    }

    @Override
    public List<ConnectionEntry> connections() {
        try {
            return ProcConnectionTable.parse(Files.readAllLines(connectionTable));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + connectionTable, e);
        }
    }

    @Override
    public IpvsInfo info() {
        List<byte[]> r = send(IpvsMessageCodec.getInfo(), IpvsOperation.GET_INFO, "");
        if (r.isEmpty()) {
            throw new MalformedReplyException("GET_INFO returned no message");
        }
        return IpvsMessageCodec.decodeInfo(r.get(0));
    }
}
