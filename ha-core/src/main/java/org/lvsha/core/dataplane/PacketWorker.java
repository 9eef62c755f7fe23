package org.lvsha.core.dataplane;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;

import org.lvsha.core.platform.LinuxSocket;
import org.lvsha.core.platform.PollSet;
import org.lvsha.core.platform.packet.FrameBatch;
import org.lvsha.core.platform.packet.PacketRing;
import org.lvsha.core.platform.packet.PacketSocket;

/**
 * One forwarding thread: it owns a shard of the connections (those whose client address + port map to it, see
 * {@link ServiceFilter#clientShard}), a receive ring on the outside interface and, for NAT, one on the inside
 * interface (both in PACKET_FANOUT groups), and a socket to send on. Its duty cycle: wait for frames (ppoll,
 * 50 ms, or a wake-up), forward up to a batch from each ring in place (rewritten in their slots, sent with one
 * sendmmsg), advance its timer wheel, run control tasks from its inbox (inserts from sync, listings). The packet
 * path allocates nothing.
 *
 * <p>{@link #submit} wakes a sleeping worker through its poll set's eventfd: an idle worker would otherwise
 * run a task only after its 50 ms poll timeout, and a backup applying a stream of synced connections one task
 * at a time would fall seconds behind (it did: 1 251 inserts took 25 s).
 */
final class PacketWorker implements Runnable {
    private static final int BATCH = 256;
    private static final long POLL_NANOS = 50_000_000L;

    final int index;
    final ConnectionTable table;
    final WorkerCounters counters = new WorkerCounters();
    final ConcurrentLinkedQueue<Consumer<PacketWorker>> inbox = new ConcurrentLinkedQueue<>();

    private final DataPlane plane;
    private final ForwardingTable forwarding;
    private final PacketRing outside;
    private final PacketRing inside;
    private final LinuxSocket sender;
    private final Ipv4Frame frame = new Ipv4Frame();
    private final PollSet pollSet;
    /** True while the worker may block in ppoll; {@link #submit} wakes it only then (one syscall saved per task). */
    private volatile boolean sleeping;
    private final int[] templateOut = new int[1];
    private final FrameBatch batch = new FrameBatch(BATCH);
    private final int[] heldSlots = new int[BATCH];
    private final int[] batchEvents = new int[BATCH];
    private volatile boolean running = true;
    private final Thread thread;

    PacketWorker(int index, DataPlane plane, PacketRing outside, PacketRing inside, LinuxSocket sender,
                 int capacity, ConnectionListener external) {
        this.index = index;
        this.plane = plane;
        this.forwarding = plane.forwarding;
        this.outside = outside;
        this.inside = inside;
        this.sender = sender;
        this.table = new ConnectionTable(capacity, 100, ConnectionListener.both(accounting(), external));
        this.pollSet = inside != null ? new PollSet(outside.socket().fd(), inside.socket().fd()) : new PollSet(outside.socket().fd());
        thread = new Thread(this, "lvsha-dataplane-" + index);
        thread.setDaemon(true);
    }

    /** Destination counts follow the connection (kernel ip_vs_unbind_dest on expiry). */
    private ConnectionListener accounting() {
        return new ConnectionListener() {
            @Override
            public void expired(ConnectionTable t, int id) {
                ForwardingDestination d = forwarding.destinations[t.destination(id)];
                forwarding.unbound(d, (t.flags(id) & ConnectionTable.FLAG_INACTIVE) == 0, t.controller(id));
            }
        };
    }

    void start() {
        thread.start();
    }

    void stop() {
        running = false;
        pollSet.wakeup();
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!thread.isAlive()) {
            pollSet.close();
        }
    }

    @Override
    public void run() {
        while (running) {
            try {
                dutyCycle();
            } catch (RuntimeException e) {
                // A bug on one frame must not kill the loop; the frame is lost, the cause is logged once per occurrence.
                System.err.println("lvsha-dataplane-" + index + ": " + e);
            }
        }
    }

    private void dutyCycle() {
        int work = drain(outside, false);
        if (inside != null) {
            work += drain(inside, true);
        }
        long now = plane.nowMillis();
        work += table.expire(now, ConnectionTable.ExpiryPolicy.NEVER);
        for (int n = 0; n < 64; n++) {
            Consumer<PacketWorker> task = inbox.poll();
            if (task == null) {
                break;
            }
            task.accept(this);
            work++;
        }
        if (work == 0) {
            // Dekker-style hand-off with submit(): publish "sleeping" before looking at the inbox, so a task added
            // after the look sees sleeping == true and writes the eventfd (which a later ppoll still sees).
            sleeping = true;
            if (inbox.isEmpty()) {
                pollSet.await(POLL_NANOS);
            }
            sleeping = false;
        }
    }

    /** Runs {@code task} on this worker's thread, soon: at once if the worker is idle. Any thread. */
    void submit(Consumer<PacketWorker> task) {
        inbox.add(task);
        if (sleeping) {
            pollSet.wakeup();
        }
    }

    /**
     * Forwards up to a batch of frames from {@code ring}: each is rewritten in its slot and queued with its
     * outgoing interface; one sendmmsg sends them all, then the slots go back to the kernel.
     */
    private int drain(PacketRing ring, boolean fromInside) {
        int n = 0;
        long now = plane.nowMillis();
        for (; n < BATCH; n++) {
            int slot = ring.nextSlot();
            if (slot < 0) {
                break;
            }
            ring.hold();
            heldSlots[n] = slot;
            try {
                handle(ring, slot, fromInside, now);
            } catch (RuntimeException e) {
                // A bug on one frame must not stall the ring: the frame is dropped, the slot still goes back.
                System.err.println("lvsha-dataplane-" + index + ": " + e);
            }
        }
        if (batch.size() > 0) {
            int queued = batch.size();
            int sent = batch.flush(sender);
            for (int i = 0; i < queued; i++) {
                counters.events[i < sent ? batchEvents[i] : WorkerCounters.Event.SEND_FAILED.ordinal()]++;
            }
        }
        for (int i = 0; i < n; i++) {
            ring.giveBack(heldSlots[i]);
        }
        return n;
    }

    private void count(WorkerCounters.Event e) {
        counters.events[e.ordinal()]++;
    }

    private void handle(PacketRing ring, int slot, boolean fromInside, long now) {
        count(WorkerCounters.Event.RECEIVED);
        int status = ring.status(slot);
        if ((status & PacketRing.TP_STATUS_LOSING) != 0) {
            // Only flagged after a drop, so the (syscall) read of the exact count is off the normal path.
            counters.events[WorkerCounters.Event.RING_DROPS.ordinal()] += ring.takeDrops();
        }
        if (ring.packetType(slot) != PacketSocket.PACKET_HOST) {
            // The kernel's IP layer drops these too (ip_rcv): a switch floods frames for an unknown MAC — the
            // master's, after its link went down or its FDB entry aged — and a backup that forwarded them would
            // schedule connections of its own, whose sync events then overwrite the master's choice of real server.
            count(WorkerCounters.Event.NOT_FOR_THIS_HOST);
            return;
        }
        int captured = ring.capturedLength(slot);
        int base = ring.frameOffset(slot);
        BadFrame bad;
        if ((status & PacketRing.TP_STATUS_COPY) != 0 || captured < ring.wireLength(slot)) {
            bad = BadFrame.TRUNCATED;
        } else {
            bad = frame.parse(ring.buffer(), base, captured, (status & PacketRing.TP_STATUS_CSUMNOTREADY) != 0,
                    (status & PacketRing.TP_STATUS_CSUM_VALID) != 0);
        }
        if (bad != null) {
            counters.bad[bad.ordinal()]++;
            if (!bad.passes()) {
                return;
            }
        }
        if (fromInside) {
            reply(ring, base, now);
        } else {
            request(ring, base, now);
        }
    }

    /** Client → virtual service (kernel ip_vs_in). */
    private void request(PacketRing ring, int base, long now) {
        int proto = frame.protocol();
        int caddr = frame.sourceAddress();
        int cport = frame.sourcePort();
        int vaddr = frame.destinationAddress();
        int vport = frame.destinationPort();
        int flags = frame.tcpFlags();
        int id = table.lookupIn(proto, caddr, cport, vaddr, vport);
        if (id >= 0 && proto == Ipv4Frame.PROTO_TCP
                && (flags & (Ipv4Frame.TCP_SYN | Ipv4Frame.TCP_ACK | Ipv4Frame.TCP_RST)) == Ipv4Frame.TCP_SYN
                && ConnectionStates.synStartsNewConnection(table.state(id), (table.flags(id) & ConnectionTable.FLAG_NOOUTPUT) != 0,
                        table.controller(id) >= 0, ConnectionStates.REUSE_DEFAULT)) {
            // Port reuse (kernel conn_reuse_mode, see ConnectionStates): the old entry expires now and the SYN is
            // scheduled afresh, as a new connection.
            table.removeNow(id);
            id = -1;
        }
        ForwardingDestination d;
        if (id < 0) {
            ForwardingService s = forwarding.index.find(proto, vaddr, vport);
            if (s == null) {
                count(WorkerCounters.Event.NOT_A_SERVICE);
                return;
            }
            // Kernel tcp_conn_schedule: only a SYN (without ACK/RST) creates a TCP connection; anything else
            // is left to the local stack, which our nft rule drops.
            if (proto == Ipv4Frame.PROTO_TCP
                    && (flags & (Ipv4Frame.TCP_SYN | Ipv4Frame.TCP_ACK | Ipv4Frame.TCP_RST)) != Ipv4Frame.TCP_SYN) {
                count(WorkerCounters.Event.NO_CONNECTION);
                return;
            }
            int state = proto == Ipv4Frame.PROTO_TCP ? ConnectionStates.NONE : ConnectionStates.UDP_NORMAL;
            boolean nat;
            d = forwarding.schedule(s, caddr, cport, vaddr, vport, now, proto != Ipv4Frame.PROTO_TCP, templateOut);
            if (d == null) {
                count(WorkerCounters.Event.NO_DESTINATION);
                return;
            }
            nat = d.method == 0;
            int dport = d.port != 0 ? d.port : vport;
            int entryFlags = d.method | (nat ? 0 : ConnectionTable.FLAG_NOOUTPUT)
                    | (proto == Ipv4Frame.PROTO_TCP ? ConnectionTable.FLAG_INACTIVE : 0);
            int timeout = proto == Ipv4Frame.PROTO_TCP ? plane.tcpTimeout(state) : plane.udpTimeout();
            id = table.create(proto, caddr, cport, vaddr, vport, d.address, dport, entryFlags, s.id, d.id,
                    frame.sourceMac(), state, now, timeout, templateOut[0]);
            if (id < 0) {
                count(WorkerCounters.Event.TABLE_FULL);
                forwarding.unbound(d, proto != Ipv4Frame.PROTO_TCP, templateOut[0]);
                return;
            }
            counters.serviceStats[s.id * WorkerCounters.STATS]++;
            counters.destinationStats[d.id * WorkerCounters.STATS]++;
        } else {
            // Replies go back to the hop the client's packets came from (learnt again here: a synced entry has none).
            table.setClientMac(id, frame.sourceMac());
            d = forwarding.destinations[table.destination(id)];
            if (d == null || !d.available) {
                // Kernel ip_vs_in with expire_nodest_conn = 0: drop silently, do not restart the timer.
                count(WorkerCounters.Event.DESTINATION_DELETED);
                return;
            }
        }
        int entryFlags = table.flags(id);
        if (proto == Ipv4Frame.PROTO_TCP) {
            int dir = (entryFlags & ConnectionTable.FLAG_NOOUTPUT) != 0 ? ConnectionStates.DIR_INPUT_ONLY : ConnectionStates.DIR_INPUT;
            transition(id, d, dir, flags, now);
        } else {
            table.touch(id, now, plane.udpTimeout());
        }
        long mac = d.mac;
        if (mac == 0) {
            plane.requestResolution();
            count(WorkerCounters.Event.NO_NEIGHBOUR);
            return;
        }
        int len = frame.ipLength();
        int sid = table.service(id);
        counters.serviceStats[sid * WorkerCounters.STATS + 1]++;
        counters.serviceStats[sid * WorkerCounters.STATS + 3] += len;
        counters.destinationStats[d.id * WorkerCounters.STATS + 1]++;
        counters.destinationStats[d.id * WorkerCounters.STATS + 3] += len;
        if ((entryFlags & ConnectionTable.FLAG_FWD_MASK) == 0) {
            frame.setDestination(table.destinationAddress(id), table.destinationPort(id));
        }
        frame.setMacs(mac, plane.insideMac);
        send(ring, base, plane.insideIfIndex, WorkerCounters.Event.FORWARDED);
    }

    /** Real server → client, NAT only (kernel ip_vs_out / handle_response). */
    private void reply(PacketRing ring, int base, long now) {
        int proto = frame.protocol();
        int id = table.lookupOut(proto, frame.sourceAddress(), frame.sourcePort(), frame.destinationAddress(), frame.destinationPort());
        if (id < 0) {
            count(WorkerCounters.Event.NO_CONNECTION);
            return;
        }
        ForwardingDestination d = forwarding.destinations[table.destination(id)];
        if (proto == Ipv4Frame.PROTO_TCP) {
            transition(id, d, ConnectionStates.DIR_OUTPUT, frame.tcpFlags(), now);
        } else {
            table.touch(id, now, plane.udpTimeout());
        }
        int len = frame.ipLength();
        int sid = table.service(id);
        counters.serviceStats[sid * WorkerCounters.STATS + 2]++;
        counters.serviceStats[sid * WorkerCounters.STATS + 4] += len;
        counters.destinationStats[d.id * WorkerCounters.STATS + 2]++;
        counters.destinationStats[d.id * WorkerCounters.STATS + 4] += len;
        frame.setSource(table.virtualAddress(id), table.virtualPort(id));
        frame.setMacs(table.clientMac(id), plane.outsideMac);
        send(ring, base, plane.outsideIfIndex, WorkerCounters.Event.REPLIES_FORWARDED);
    }

    /** TCP state change with the kernel's active/inactive accounting ({@code set_tcp_state}). */
    private void transition(int id, ForwardingDestination d, int direction, int tcpFlags, long now) {
        int old = table.state(id);
        int next = ConnectionStates.nextTcpState(old, direction, tcpFlags);
        int f = table.flags(id);
        boolean inactive = (f & ConnectionTable.FLAG_INACTIVE) != 0;
        if (next != old && d != null) {
            if (!inactive && next != ConnectionStates.ESTABLISHED) {
                table.setFlags(id, f | ConnectionTable.FLAG_INACTIVE);
                forwarding.activityChanged(d, false);
            } else if (inactive && next == ConnectionStates.ESTABLISHED) {
                table.setFlags(id, f & ~ConnectionTable.FLAG_INACTIVE);
                forwarding.activityChanged(d, true);
            }
        }
        table.setState(id, next, now, plane.tcpTimeout(next));
    }

    private void send(PacketRing ring, int base, int ifIndex, WorkerCounters.Event ok) {
        batchEvents[batch.size()] = ok.ordinal();
        batch.add(ring.address(base), frame.frameLength(), ifIndex);
    }

    boolean isCurrentThread() {
        return Thread.currentThread() == thread;
    }
}
