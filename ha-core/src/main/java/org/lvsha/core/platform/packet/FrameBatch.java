package org.lvsha.core.platform.packet;

import java.nio.ByteBuffer;

import org.lvsha.core.platform.Errno;
import org.lvsha.core.platform.LinuxSocket;
import org.lvsha.core.platform.Native;
import org.lvsha.core.platform.NativeBuffer;
import org.lvsha.core.platform.SockAddr;

/**
 * Up to {@link #capacity} complete Ethernet frames, each at a native address (a ring slot) with its outgoing
 * interface, sent with one {@code sendmmsg(2)}: one system call per batch instead of one per frame. The
 * {@code struct mmsghdr}/{@code iovec} arrays and one {@code sockaddr_ll} per interface are laid out once; adding a
 * frame writes a few fields. LP64 layout: msghdr 56 bytes (name, namelen, iov, iovlen, control, controllen, flags),
 * mmsghdr 64, iovec 16. One owner thread.
 */
public final class FrameBatch {
    private static final int MMSGHDR = 64;
    private static final int IOVEC = 16;
    private static final int MAX_INTERFACES = 4;

    private final int capacity;
    private final NativeBuffer messages;
    private final NativeBuffer iovecs;
    private final NativeBuffer addresses = NativeBuffer.allocate(MAX_INTERFACES * 32);
    private final int[] ifIndexes = new int[MAX_INTERFACES];
    private int interfaces;
    private int count;

    public FrameBatch(int capacity) {
        this.capacity = capacity;
        messages = NativeBuffer.allocate(capacity * MMSGHDR);
        iovecs = NativeBuffer.allocate(capacity * IOVEC);
        ByteBuffer m = messages.buffer();
        for (int i = 0; i < capacity; i++) {
            int at = i * MMSGHDR;
            m.putInt(at + 8, SockAddr.LL_SIZE);
            m.putLong(at + 16, iovecs.address() + (long) i * IOVEC);
            m.putLong(at + 24, 1);
        }
    }

    private long addressOf(int ifIndex) {
        for (int i = 0; i < interfaces; i++) {
            if (ifIndexes[i] == ifIndex) {
                return addresses.address() + i * 32L;
            }
        }
        if (interfaces == MAX_INTERFACES) {
            throw new IllegalStateException("a batch sends on at most " + MAX_INTERFACES + " interfaces");
        }
        int i = interfaces++;
        ifIndexes[i] = ifIndex;
        ByteBuffer slice = addresses.buffer().slice(i * 32, 32).order(java.nio.ByteOrder.nativeOrder());
        SockAddr.writeLinkLayer(slice, ifIndex, 0, null);
        return addresses.address() + i * 32L;
    }

    /** Adds a frame; false when the batch is full (flush first). */
    public boolean add(long frameAddress, int length, int ifIndex) {
        if (count == capacity) {
            return false;
        }
        int at = count * MMSGHDR;
        messages.buffer().putLong(at, addressOf(ifIndex));
        iovecs.buffer().putLong(count * IOVEC, frameAddress).putLong(count * IOVEC + 8, length);
        count++;
        return true;
    }

    public int size() {
        return count;
    }

    /**
     * Sends the batch and empties it. Returns how many frames the kernel took; a frame it refused is skipped and
     * the rest still sent, a full socket buffer (EAGAIN) ends the batch.
     */
    public int flush(LinuxSocket socket) {
        int total = count;
        int next = 0;
        int sent = 0;
        // Bounded: every round sends at least one frame, skips one that failed, or stops.
        while (next < total) {
            var from = next == 0 ? messages.pointer() : messages.pointer().slice((long) next * MMSGHDR);
            int n = Native.LIBC.sendmmsg(socket.fd(), from, total - next, 0);
            if (n > 0) {
                next += n;
                sent += n;
            } else {
                int errno = Native.errno();
                if (n == 0 || errno == Errno.EAGAIN) {
                    break;
                }
                if (errno != Errno.EINTR) {
                    next++; // this frame was refused (e.g. EMSGSIZE); the others still go
                }
            }
        }
        count = 0;
        return sent;
    }
}
