package org.lvsha.core.platform.packet;

import java.nio.ByteBuffer;
import org.lvsha.core.platform.Errno;
import org.lvsha.core.platform.ErrnoException;
import org.lvsha.core.platform.LinuxSocket;
import org.lvsha.core.platform.Native;
import org.lvsha.core.platform.NativeBuffer;
import org.lvsha.core.platform.SockAddr;

/**
 * An AF_PACKET / SOCK_RAW socket: whole Ethernet frames out and in, optionally filtered by a classic
 * BPF program in the kernel. Non-blocking; no allocation per frame; one sending thread and one
 * receiving thread at most (they use separate native buffers).
 *
 * <p>Receiving sockets are made in the order that keeps unfiltered frames out: the socket is opened
 * with protocol 0 (which receives nothing), the filter attached, and only then bound to the interface
 * and protocol. {@link #socket()} gives the descriptor to anything layered on top (a TPACKET_V3 ring
 * set up with PACKET_VERSION / PACKET_RX_RING and mmap, an event loop).
 */
public final class PacketSocket implements AutoCloseable {
    private static final int MAX_FRAME = 65536;

    private final LinuxSocket socket;
    /** sockaddr_ll packet types (linux/if_packet.h): who the frame was addressed to. */
    public static final int PACKET_HOST = 0;
    public static final int PACKET_BROADCAST = 1;
    public static final int PACKET_MULTICAST = 2;
    public static final int PACKET_OTHERHOST = 3;
    public static final int PACKET_OUTGOING = 4;

    private final NativeBuffer frameBuffer = NativeBuffer.allocate(MAX_FRAME);
    private final NativeBuffer receiveBuffer = NativeBuffer.allocate(MAX_FRAME);
    private final NativeBuffer address = NativeBuffer.allocate(32);
    /** sockaddr_ll of the last received frame, then its length (socklen_t) at offset 24. */
    private final NativeBuffer from = NativeBuffer.allocate(32);
    private final jnr.ffi.Pointer fromLength = from.pointer().slice(24);
    private int cachedIfIndex = -1;
    private int lastIfIndex;
    private int lastPacketType = -1;

    private PacketSocket(LinuxSocket socket) {
        this.socket = socket;
    }

    /** A socket that only sends (protocol 0 delivers nothing to it), on any interface. */
    public static PacketSocket openSender() {
        LinuxSocket s = LinuxSocket.open(Native.AF_PACKET, Native.SOCK_RAW, 0, "AF_PACKET sender");
        try {
            s.setNonBlocking(true);
            return new PacketSocket(s);
        } catch (RuntimeException e) {
            s.close();
            throw e;
        }
    }

    /**
     * A socket receiving frames of {@code etherType} (an {@link EtherType} value; ETH_P_ALL for all)
     * on interface {@code ifIndex} that pass {@code filter} (null: no filter). It can send too.
     */
    public static PacketSocket open(int ifIndex, int etherType, BpfProgram filter) {
        LinuxSocket s = LinuxSocket.open(Native.AF_PACKET, Native.SOCK_RAW, 0, "AF_PACKET ifindex " + ifIndex);
        try {
            PacketSocket p = new PacketSocket(s);
            s.setNonBlocking(true);
            if (filter != null) {
                p.attachFilter(filter);
            }
            SockAddr.writeLinkLayer(p.address.buffer(), ifIndex, etherType, null);
            s.bind(p.address, SockAddr.LL_SIZE, "protocol 0x" + Integer.toHexString(etherType));
            return p;
        } catch (RuntimeException e) {
            s.close();
            throw e;
        }
    }

    /** Attaches (or replaces) the kernel filter: {@code struct sock_fprog {u16 len; struct sock_filter *filter}}. */
    public void attachFilter(BpfProgram filter) {
        byte[] code = filter.encode();
        NativeBuffer program = NativeBuffer.allocate(code.length);
        program.buffer().put(0, code);
        NativeBuffer fprog = NativeBuffer.allocate(16);
        fprog.buffer().putShort(0, (short) filter.instructions().size());
        fprog.buffer().putLong(8, program.address());
        socket.setRaw(Native.SOL_SOCKET, Native.SO_ATTACH_FILTER, fprog, 16, "SO_ATTACH_FILTER");
        // The kernel copied the program; keep the buffers reachable until after the call all the same.
        java.lang.ref.Reference.reachabilityFence(program);
    }

    /**
     * Sends one complete Ethernet frame (the bytes from {@code frame}'s position to its limit) out of
     * {@code ifIndex}. The position is not moved.
     *
     * @return false if the socket buffer is full (EAGAIN); the frame was not sent
     */
    public boolean send(int ifIndex, ByteBuffer frame) {
        int n = frame.remaining();
        if (n < 14 || n > MAX_FRAME) {
            throw new IllegalArgumentException("Ethernet frame of " + n + " bytes");
        }
        frameBuffer.buffer().put(0, frame, frame.position(), n);
        if (ifIndex != cachedIfIndex) {
            SockAddr.writeLinkLayer(address.buffer(), ifIndex, 0, null);
            address.buffer().put(11, (byte) 6);
            cachedIfIndex = ifIndex;
        }
        // sll_addr is the destination for the driver's benefit; the frame already carries it. The
        // protocol (network order, as the frame has it) sets skb->protocol for taps on this host.
        for (int i = 0; i < 6; i++) {
            address.buffer().put(12 + i, frameBuffer.buffer().get(i));
        }
        address.buffer().put(2, frameBuffer.buffer().get(12));
        address.buffer().put(3, frameBuffer.buffer().get(13));
        long sent = Native.LIBC.sendto(socket.fd(), frameBuffer.pointer(), n, 0, address.pointer(), SockAddr.LL_SIZE);
        if (sent < 0) {
            if (Native.errno() == Errno.EAGAIN) {
                return false;
            }
            throw ErrnoException.lastError("sendto", socket.description() + " out of ifindex " + ifIndex);
        }
        return true;
    }

    public boolean send(int ifIndex, byte[] frame) {
        return send(ifIndex, ByteBuffer.wrap(frame));
    }

    /**
     * Copies the next queued frame into {@code dst} (from its position; the position advances) and
     * returns its full length, which exceeds what was copied if {@code dst} was too small; -1 when
     * nothing is queued. Does not wait: use {@link LinuxSocket#awaitReadable} on {@link #socket()}.
     */
    public int receive(ByteBuffer dst) {
        from.buffer().putInt(24, SockAddr.LL_SIZE);
        long n = Native.LIBC.recvfrom(socket.fd(), receiveBuffer.pointer(), MAX_FRAME, Native.MSG_DONTWAIT | Native.MSG_TRUNC,
                from.pointer(), fromLength);
        if (n < 0) {
            int errno = Native.errno();
            if (errno == Errno.EAGAIN || errno == Errno.EINTR) {
                return -1;
            }
            throw ErrnoException.lastError("recvfrom", socket.description());
        }
        int copy = (int) Math.min(Math.min(n, MAX_FRAME), dst.remaining());
        dst.put(dst.position(), receiveBuffer.buffer(), 0, copy);
        dst.position(dst.position() + copy);
        lastIfIndex = from.buffer().getInt(4);
        lastPacketType = Byte.toUnsignedInt(from.buffer().get(10));
        return (int) n;
    }

    /** The interface the last received frame came in on (or went out of, for PACKET_OUTGOING). */
    public int lastIfIndex() {
        return lastIfIndex;
    }

    /** The PACKET_* type of the last received frame; PACKET_OUTGOING marks our own transmissions. */
    public int lastPacketType() {
        return lastPacketType;
    }

    public LinuxSocket socket() {
        return socket;
    }

    @Override
    public void close() {
        socket.close();
    }
}
