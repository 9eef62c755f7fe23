package org.lvsha.core.platform;

import java.nio.ByteBuffer;

/**
 * Waits for any of a fixed set of file descriptors to become readable, or for a {@link #wakeup()} from
 * another thread, or for a timeout with nanosecond resolution (ppoll(2)). Built for a single owner thread
 * that multiplexes its sockets and its timers in one place (a VRRP node at a 10 ms advert interval: a
 * millisecond-rounded poll(2) timeout would be a 10 % error). The wake-up is an eventfd(2) that is part
 * of the set, so a wake-up that arrives before the owner starts waiting is not lost.
 *
 * <p>{@link #await} and {@link #readable} allocate nothing; {@link #wakeup()} is thread-safe.
 */
public final class PollSet implements AutoCloseable {
    private static final int POLLFD_SIZE = 8; // struct pollfd {int fd; short events; short revents}

    private final int[] fds;
    private final int eventFd;
    private final NativeBuffer pollFds;
    private final NativeBuffer timespec = NativeBuffer.allocate(16);
    private final NativeBuffer counter = NativeBuffer.allocate(8);
    private final NativeBuffer wakeValue = NativeBuffer.allocate(8);
    private volatile boolean closed;

    /** A set watching {@code fds} (each for POLLIN) plus its own eventfd. */
    public PollSet(int... fds) {
        this.fds = fds.clone();
        int efd = Native.LIBC.eventfd(0, Native.EFD_NONBLOCK | Native.EFD_CLOEXEC);
        if (efd < 0) {
            throw ErrnoException.lastError("eventfd", "poll set wake-up");
        }
        this.eventFd = efd;
        pollFds = NativeBuffer.allocate((fds.length + 1) * POLLFD_SIZE);
        ByteBuffer b = pollFds.buffer();
        for (int i = 0; i <= fds.length; i++) {
            b.putInt(i * POLLFD_SIZE, i < fds.length ? fds[i] : eventFd);
            b.putShort(i * POLLFD_SIZE + 4, Native.POLLIN);
        }
        wakeValue.buffer().putLong(0, 1L);
    }

    /**
     * Waits until a watched descriptor is readable, {@link #wakeup()} was called (since the last await), or
     * {@code timeoutNanos} passed (0: just look). Returns true if a watched descriptor (not the wake-up) is
     * readable; see {@link #readable(int)}. EINTR counts as a timeout.
     */
    public boolean await(long timeoutNanos) {
        ByteBuffer b = pollFds.buffer();
        for (int i = 0; i <= fds.length; i++) {
            b.putShort(i * POLLFD_SIZE + 6, (short) 0);
        }
        long t = Math.max(0, timeoutNanos);
        timespec.buffer().putLong(0, t / 1_000_000_000L);
        timespec.buffer().putLong(8, t % 1_000_000_000L);
        int n = Native.LIBC.ppoll(pollFds.pointer(), fds.length + 1, timespec.pointer(), null);
        if (n < 0) {
            if (Native.errno() == Errno.EINTR) {
                return false;
            }
            throw ErrnoException.lastError("ppoll", fds.length + " descriptors");
        }
        if (n == 0) {
            return false;
        }
        if (b.getShort(fds.length * POLLFD_SIZE + 6) != 0) {
            // Drain the eventfd counter so the next await blocks again (non-blocking read, EAGAIN is fine).
            Native.LIBC.read(eventFd, counter.pointer(), 8);
            n--;
        }
        return n > 0;
    }

    /** After {@link #await}: whether the {@code index}-th watched descriptor reported readable (or an error). */
    public boolean readable(int index) {
        return pollFds.buffer().getShort(index * POLLFD_SIZE + 6) != 0;
    }

    /** Makes the current or next {@link #await} return at once. Any thread. */
    public void wakeup() {
        if (!closed) {
            // A counter overflow (EAGAIN) would need 2^64-1 unread wake-ups; the owner reads them each await.
            synchronized (wakeValue) {
                Native.LIBC.write(eventFd, wakeValue.pointer(), 8);
            }
        }
    }

    public int size() {
        return fds.length;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            Native.LIBC.close(eventFd);
        }
    }
}
