package org.lvsha.core.platform.packet;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import org.lvsha.core.platform.ErrnoException;
import org.lvsha.core.platform.LinuxSocket;
import org.lvsha.core.platform.Native;
import org.lvsha.core.platform.NativeBuffer;
import org.lvsha.core.platform.SockAddr;

/**
 * A memory-mapped TPACKET_V2 receive ring on an AF_PACKET socket (linux/if_packet.h, Documentation/networking/
 * packet_mmap.rst), optionally a member of a PACKET_FANOUT group.
 *
 * <p><b>Why V2 and not V3:</b> V3 hands blocks of frames to user space only when a block is full or its retire
 * timer (milliseconds) fires, which is good for capture throughput but adds that delay to every forwarded packet
 * at low rates; a forwarder wants each frame as soon as it lands, which V2's per-frame status gives, and V2's
 * fixed slots let the worker rewrite a frame in place and send it straight from the slot.
 *
 * <p>Frames are read through {@link #buffer()} (BIG_ENDIAN, for the packet fields) at {@link #frameOffset};
 * slot status is read with acquire and written back with release semantics. One owner thread.
 */
public final class PacketRing implements AutoCloseable {
    static final int PACKET_RX_RING = 5;
    static final int PACKET_STATISTICS = 6;
    static final int PACKET_VERSION = 10;
    static final int PACKET_FANOUT = 18;
    static final int PACKET_FANOUT_DATA = 22;
    static final int PACKET_IGNORE_OUTGOING = 23;
    static final int TPACKET_V2 = 1;
    public static final int PACKET_FANOUT_HASH = 0;
    public static final int PACKET_FANOUT_CBPF = 6;

    public static final int TP_STATUS_USER = 1;
    public static final int TP_STATUS_COPY = 2;
    public static final int TP_STATUS_LOSING = 4;
    public static final int TP_STATUS_CSUMNOTREADY = 8;
    public static final int TP_STATUS_CSUM_VALID = 0x80;

    /** sizeof(struct tpacket2_hdr) aligned to TPACKET_ALIGNMENT: the sockaddr_ll follows it. */
    private static final int SLL_OFFSET = 32;
    private static final VarHandle STATUS = MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.nativeOrder());

    private final LinuxSocket socket;
    private final jnr.ffi.Pointer mapping;
    /** Per slot, a pointer to its frame (made once per slot, so sending allocates nothing after warm-up). */
    private final jnr.ffi.Pointer[] framePointers;
    private final int[] framePointerOffsets;
    private final long address;
    private final long size;
    private final int frameSize;
    private final int frameCount;
    private final ByteBuffer frames;
    private final ByteBuffer header;
    private final NativeBuffer sendAddress = NativeBuffer.allocate(SockAddr.LL_SIZE);
    private final NativeBuffer stats = NativeBuffer.allocate(16);
    private int current;

    private PacketRing(LinuxSocket socket, jnr.ffi.Pointer mapping, long size, int frameSize, int frameCount) {
        this.socket = socket;
        this.mapping = mapping;
        this.address = mapping.address();
        this.framePointers = new jnr.ffi.Pointer[frameCount];
        this.framePointerOffsets = new int[frameCount];
        this.size = size;
        this.frameSize = frameSize;
        this.frameCount = frameCount;
        ByteBuffer b = com.kenai.jffi.MemoryIO.getInstance().newDirectByteBuffer(address, (int) size);
        this.frames = b.duplicate().order(ByteOrder.BIG_ENDIAN);
        this.header = b.duplicate().order(ByteOrder.nativeOrder());
    }

    /**
     * Opens a socket on {@code ifIndex} for IPv4 frames passing {@code filter}, with a ring of
     * {@code blockCount} blocks of 64 KiB split into 2 KiB slots (one Ethernet frame each), ignoring frames this
     * host sends. The filter is attached before the bind, so nothing unfiltered is ever queued.
     */
    public static PacketRing open(int ifIndex, BpfProgram filter, int blockCount) {
        int blockSize = 1 << 16;
        int frameSize = 2048;
        LinuxSocket s = LinuxSocket.open(Native.AF_PACKET, Native.SOCK_RAW, 0, "AF_PACKET ring ifindex " + ifIndex);
        jnr.ffi.Pointer addr = null;
        long size = (long) blockSize * blockCount;
        try {
            s.setInt(Native.SOL_PACKET, PACKET_VERSION, TPACKET_V2, "PACKET_VERSION");
            attach(s, Native.SOL_SOCKET, Native.SO_ATTACH_FILTER, filter, "SO_ATTACH_FILTER");
            // Our own transmissions would otherwise come back through the tap (kernel ≥ 4.20).
            s.setInt(Native.SOL_PACKET, PACKET_IGNORE_OUTGOING, 1, "PACKET_IGNORE_OUTGOING");
            NativeBuffer req = NativeBuffer.allocate(16);
            req.buffer().putInt(0, blockSize).putInt(4, blockCount).putInt(8, frameSize)
                    .putInt(12, blockCount * (blockSize / frameSize));
            s.setRaw(Native.SOL_PACKET, PACKET_RX_RING, req, 16, "PACKET_RX_RING");
            jnr.ffi.Pointer mapped = Native.LIBC.mmap(null, size, 3 /* PROT_READ|PROT_WRITE */, 1 /* MAP_SHARED */, s.fd(), 0);
            if (mapped == null || mapped.address() == -1L) {
                throw ErrnoException.lastError("mmap", s.description());
            }
            addr = mapped;
            s.setNonBlocking(true);
            NativeBuffer sll = NativeBuffer.allocate(SockAddr.LL_SIZE);
            SockAddr.writeLinkLayer(sll.buffer(), ifIndex, EtherType.ETH_P_IP, null);
            s.bind(sll, SockAddr.LL_SIZE, "ETH_P_IP");
            return new PacketRing(s, addr, size, frameSize, blockCount * (blockSize / frameSize));
        } catch (RuntimeException e) {
            if (addr != null) {
                Native.LIBC.munmap(addr, size);
            }
            s.close();
            throw e;
        }
    }

    private static void attach(LinuxSocket s, int level, int option, BpfProgram program, String name) {
        byte[] code = program.encode();
        NativeBuffer prog = NativeBuffer.allocate(Math.max(8, code.length));
        prog.buffer().put(0, code);
        NativeBuffer fprog = NativeBuffer.allocate(16);
        fprog.buffer().putShort(0, (short) program.instructions().size());
        fprog.buffer().putLong(8, prog.address());
        s.setRaw(level, option, fprog, 16, name);
        java.lang.ref.Reference.reachabilityFence(prog);
    }

    /** Replaces the socket filter (atomic in the kernel: a frame sees the old program or the new one). */
    public void setFilter(BpfProgram filter) {
        attach(socket, Native.SOL_SOCKET, Native.SO_ATTACH_FILTER, filter, "SO_ATTACH_FILTER");
    }

    /**
     * Joins fanout group {@code groupId} (per network namespace, same device for every member) in {@code mode};
     * for {@link #PACKET_FANOUT_CBPF} the group's member is chosen by {@code program}'s return value (kernel
     * takes it modulo the member count). Members are numbered in join order.
     */
    public void joinFanout(int groupId, int mode, BpfProgram program) {
        socket.setInt(Native.SOL_PACKET, PACKET_FANOUT, (groupId & 0xffff) | (mode << 16), "PACKET_FANOUT");
        if (mode == PACKET_FANOUT_CBPF) {
            attach(socket, Native.SOL_PACKET, PACKET_FANOUT_DATA, program, "PACKET_FANOUT_DATA");
        }
    }

    /** Offset of the current slot if the kernel has filled it, else -1. */
    public int nextSlot() {
        int off = current * frameSize;
        int status = (int) STATUS.getAcquire(header, off);
        return (status & TP_STATUS_USER) != 0 ? off : -1;
    }

    /** Gives the slot back to the kernel and moves to the next one. */
    public void release(int slot) {
        STATUS.setRelease(header, slot, 0);
        current = current + 1 == frameCount ? 0 : current + 1;
    }

    /** Moves past the current slot but keeps it (its frame is still to be sent); {@link #giveBack} it later. */
    public void hold() {
        current = current + 1 == frameCount ? 0 : current + 1;
    }

    /** Gives a held slot back to the kernel. */
    public void giveBack(int slot) {
        STATUS.setRelease(header, slot, 0);
    }

    /** The native address of {@code offset} in the ring (for a batch send straight from the slot). */
    public long address(int offset) {
        return address + offset;
    }

    public int status(int slot) {
        return header.getInt(slot);
    }

    /** Length on the wire. */
    public int wireLength(int slot) {
        return header.getInt(slot + 4);
    }

    /** Bytes captured in the slot. */
    public int capturedLength(int slot) {
        return header.getInt(slot + 8);
    }

    /** Offset of the Ethernet header in {@link #buffer()}. */
    public int frameOffset(int slot) {
        return slot + (header.getShort(slot + 12) & 0xffff);
    }

    /** sll_pkttype of the slot (PACKET_HOST, PACKET_OTHERHOST, ...). */
    public int packetType(int slot) {
        return header.get(slot + SLL_OFFSET + 10) & 0xff;
    }

    public ByteBuffer buffer() {
        return frames;
    }

    /** Sends {@code length} bytes at {@code offset} of this ring out of {@code ifIndex} on {@code sender}. */
    public boolean sendFromRing(LinuxSocket sender, int ifIndex, int offset, int length) {
        ByteBuffer a = sendAddress.buffer();
        if (a.getInt(4) != ifIndex) {
            SockAddr.writeLinkLayer(a, ifIndex, 0, null);
        }
        int slotIndex = offset / frameSize;
        jnr.ffi.Pointer p = framePointers[slotIndex];
        if (p == null || framePointerOffsets[slotIndex] != offset) {
            p = mapping.slice(offset);
            framePointers[slotIndex] = p;
            framePointerOffsets[slotIndex] = offset;
        }
        long n = Native.LIBC.sendto(sender.fd(), p, length, 0, sendAddress.pointer(), SockAddr.LL_SIZE);
        return n == length;
    }

    /**
     * Frames the kernel dropped because the ring was full since the last call (PACKET_STATISTICS
     * {@code tp_drops}; reading resets it, and with it the TP_STATUS_LOSING flag on later frames).
     */
    public long takeDrops() {
        stats.buffer().putLong(0, 0).putInt(8, 8);
        if (Native.LIBC.getsockopt(socket.fd(), Native.SOL_PACKET, PACKET_STATISTICS, stats.pointer(), stats.pointer().slice(8)) != 0) {
            return 0;
        }
        return stats.buffer().getInt(4) & 0xffffffffL;
    }

    public LinuxSocket socket() {
        return socket;
    }

    public int frameCount() {
        return frameCount;
    }

    @Override
    public void close() {
        socket.close();
        Native.LIBC.munmap(mapping, size);
    }
}
