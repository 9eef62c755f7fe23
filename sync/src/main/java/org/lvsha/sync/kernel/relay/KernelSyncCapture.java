package org.lvsha.sync.kernel.relay;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.LongAdder;
import org.lvsha.core.platform.packet.BpfProgram;
import org.lvsha.core.platform.packet.EtherType;
import org.lvsha.core.platform.packet.PacketSocket;

/**
 * Reads the datagrams this host's kernel <em>master</em> sync daemon sends, as they leave the sync interface.
 *
 * <p>Why not a UDP socket joined to the group: the master daemon's socket turns multicast loop off (reference
 * notes §1.1 "Master socket"), so nothing on its own host can receive what it sends. An AF_PACKET tap on the
 * interface sees the outgoing frames all the same (PACKET_OUTGOING). Only those are taken: frames received
 * from the segment are another director's business (its own relay carries them), so a kernel master elsewhere
 * can never be relayed twice. A classic BPF filter keeps everything but UDP to the group and port out of the
 * socket; datagrams from {@code ignoredSourcePort} (our own injector, should it ever send on the wire) are
 * dropped — the second guard against loops.
 */
public final class KernelSyncCapture implements AutoCloseable {
    /** Frames handled per wake-up, so that {@link #close} is noticed under a flood too. */
    static final int MAX_FRAMES_PER_POLL = 1024;

    public interface Sink {
        void datagram(byte[] buffer, int offset, int length);
    }

    private final PacketSocket socket;
    private final int group;
    private final int port;
    private final int ignoredSourcePort;
    private final Sink sink;
    private final byte[] frame = new byte[65536];
    private final ByteBuffer frameBuffer = ByteBuffer.wrap(frame);
    private final SyncFrame parser = new SyncFrame();
    private final LongAdder datagrams = new LongAdder();
    private final LongAdder notOutgoing = new LongAdder();
    private final LongAdder ownDatagrams = new LongAdder();
    private final LongAdder refused = new LongAdder();
    private final LongAdder sinkFailures = new LongAdder();
    private final Thread thread;
    private volatile boolean running = true;

    /**
     * Opens the tap and starts its thread.
     *
     * @param port              the port the kernel master sends to ({@code --mcast-port}; in relay mode one no
     *                          kernel backup listens on)
     * @param ignoredSourcePort the injector's local port, or -1
     */
    public KernelSyncCapture(NetworkInterface nif, InetAddress group, int port, int ignoredSourcePort, Sink sink) {
        byte[] g = group.getAddress();
        if (g.length != 4) {
            throw new IllegalArgumentException("IPv4 sync group expected: " + group);
        }
        this.group = ((g[0] & 0xff) << 24) | ((g[1] & 0xff) << 16) | ((g[2] & 0xff) << 8) | (g[3] & 0xff);
        this.port = port;
        this.ignoredSourcePort = ignoredSourcePort;
        this.sink = sink;
        // IPv4, UDP, to the group, IHL 5 (the kernel sends no options), to the port
        BpfProgram filter = BpfProgram.builder().half(12, EtherType.ETH_P_IP).u8(23, 17).word(30, this.group)
                .u8Masked(14, 0x0f, 5).half(36, port).build();
        // ETH_P_ALL, not ETH_P_IP: the kernel hands outgoing frames only to taps of every protocol
        // (dev_queue_xmit_nit walks ptype_all); the filter does the selecting
        this.socket = PacketSocket.open(nif.getIndex(), EtherType.ETH_P_ALL, filter);
        this.thread = new Thread(this::run, "lvsha-kernel-sync-capture-" + nif.getName());
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        while (running) {
            if (!socket.socket().awaitReadable(100)) {
                continue;
            }
            for (int i = 0; i < MAX_FRAMES_PER_POLL && running; i++) {
                frameBuffer.clear();
                int n;
                try {
                    n = socket.receive(frameBuffer);
                } catch (RuntimeException e) {
                    if (!running) {
                        return;
                    }
                    throw e;
                }
                if (n < 0) {
                    break;
                }
                handle(n, socket.lastPacketType());
            }
        }
    }

    void handle(int length, int packetType) {
        if (packetType != PacketSocket.PACKET_OUTGOING) {
            notOutgoing.increment();
            return;
        }
        if (!parser.parse(frame, Math.min(length, frame.length), group, port)) {
            refused.increment();
            return;
        }
        if (parser.sourcePort() == ignoredSourcePort) {
            ownDatagrams.increment();
            return;
        }
        datagrams.increment();
        try {
            sink.datagram(frame, parser.payloadOffset(), parser.payloadLength());
        } catch (RuntimeException e) {
            // a failing consumer costs this datagram, not the capture thread
            sinkFailures.increment();
        }
    }

    public long sinkFailures() {
        return sinkFailures.sum();
    }

    public long datagrams() {
        return datagrams.sum();
    }

    public long notOutgoing() {
        return notOutgoing.sum();
    }

    public long ownDatagrams() {
        return ownDatagrams.sum();
    }

    public long refused() {
        return refused.sum();
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(2000);
        socket.close();
    }
}
