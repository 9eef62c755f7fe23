package org.lvsha.sync.kernel;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiConsumer;
import org.lvsha.sync.replication.ConnectionEventKind;
import org.lvsha.sync.store.ConnectionEntry;

/**
 * Bridges the kernel's own sync daemons and lvsha's replication, so kernel directors get reliable
 * delivery, authentication and state transfer:
 *
 * <ul>
 *   <li>master side — {@link #fromKernel}: a datagram the kernel master daemon multicast (captured
 *       on the sync interface) is decoded, and each entry is published as a connection event;</li>
 *   <li>backup side — {@link #toKernel}: events applied from the other director are encoded as v1
 *       datagrams (≤ {@code maxDatagram} bytes, ≤ 255 entries) and handed to the kernel backup
 *       daemon through a {@link KernelSyncSender}; {@link #flush} sends what is pending.</li>
 * </ul>
 *
 * What does not survive the trip: SEQ and PE options (the replica keeps neither), so NAT connections
 * resized by an FTP helper and SIP persistence are re-created without them. v0 entries carry no
 * timeout; the protocol's default for the state is used.
 */
public final class KernelSyncRelay {
    private final int syncId;
    private final int maxDatagram;
    private final BiConsumer<ConnectionEventKind, ConnectionEntry> publisher;
    private final KernelSyncSender sender;
    private final KernelSyncCounters counters = new KernelSyncCounters();
    private final LongAdder datagramsInjected = new LongAdder();
    private final LongAdder injectFailures = new LongAdder();
    private final List<KernelSyncConnection> pending = new ArrayList<>();
    private final ConnectionEntry cursor = new ConnectionEntry();

    /**
     * @param syncId      the kernel daemons' syncid (0 on the receive side accepts every id, as the kernel does)
     * @param maxDatagram the backup daemon's sync_maxlen or less (1472 for an IPv4 group by default)
     * @param publisher   where decoded kernel entries go (e.g. {@code replicator::publish})
     * @param sender      the socket towards the kernel backup daemon
     */
    public KernelSyncRelay(int syncId, int maxDatagram, BiConsumer<ConnectionEventKind, ConnectionEntry> publisher,
                           KernelSyncSender sender) {
        this.syncId = syncId;
        this.maxDatagram = maxDatagram;
        this.publisher = publisher;
        this.sender = sender;
    }

    /** Decodes a datagram from the kernel master daemon and publishes its entries; malformed ones are counted. */
    public KernelSyncDecodeResult fromKernel(byte[] datagram, int length) {
        return fromKernel(datagram, 0, length);
    }

    /** The same, for a datagram at {@code offset} (e.g. inside a captured frame). */
    public synchronized KernelSyncDecodeResult fromKernel(byte[] datagram, int offset, int length) {
        KernelSyncDecodeResult r = KernelSyncCodec.decode(datagram, offset, length, syncId);
        counters.record(r);
        if (!r.isAccepted()) {
            return r;
        }
        for (KernelSyncConnection c : r.message().connections()) {
            toEntry(r.message().version(), c, cursor);
            publisher.accept(ConnectionEventKind.CHANGED, cursor);
        }
        return r;
    }

    /** Queues an event applied from the other director for the kernel backup; sends full datagrams at once. */
    public synchronized void toKernel(ConnectionEventKind kind, ConnectionEntry e) {
        if (kind == ConnectionEventKind.EXPIRED) {
            // the kernel protocol has no deletion: backup entries expire by their timeout (reference notes §1.11)
            return;
        }
        pending.add(toKernelConnection(e));
        if (pending.size() >= KernelSyncCodec.MAX_ENTRIES) {
            flush();
        }
    }

    /** Encodes and sends everything pending. */
    public synchronized void flush() {
        if (pending.isEmpty()) {
            return;
        }
        List<byte[]> datagrams = KernelSyncCodec.encodeV1(syncId, pending, maxDatagram);
        pending.clear();
        for (byte[] d : datagrams) {
            try {
                sender.send(d);
                datagramsInjected.increment();
            } catch (IOException ex) {
                injectFailures.increment();
            }
        }
    }

    public KernelSyncCounters counters() {
        return counters;
    }

    public long datagramsInjected() {
        return datagramsInjected.sum();
    }

    public long injectFailures() {
        return injectFailures.sum();
    }

    static void toEntry(int version, KernelSyncConnection c, ConnectionEntry e) {
        e.clear().addresses(c.clientAddress(), c.virtualAddress(), c.destinationAddress());
        e.protocol = c.protocol();
        e.cport = c.clientPort();
        e.vport = c.virtualPort();
        e.dport = c.destinationPort();
        int timeout = c.timeoutSeconds() != 0 ? c.timeoutSeconds()
                : ConnectionStates.defaultTimeoutSeconds(c.protocol(), c.state(), c.isTemplate());
        // keep what a kernel backup would keep, minus SYNC: the re-injecting kernel sets that itself
        e.state(c.state(), SyncFlags.onBackup(version, c.flags()) & ~SyncFlags.SYNC, c.fwmark(), timeout);
    }

    static KernelSyncConnection toKernelConnection(ConnectionEntry e) {
        return new KernelSyncConnection(e.protocol, e.flags & ~SyncFlags.HASHED, e.state, e.clientAddress(), e.cport,
                e.virtualAddress(), e.vport, e.destinationAddress(), e.dport, e.fwmark, e.timeoutSeconds, null, null, null);
    }
}
