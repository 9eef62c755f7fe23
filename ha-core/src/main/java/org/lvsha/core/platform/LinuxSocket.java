package org.lvsha.core.platform;

/**
 * An owned socket file descriptor with the option and readiness calls every socket type shares.
 * The typed sockets ({@code NetlinkSocket}, {@code RawIpSocket}, {@code PacketSocket}) are built on it.
 *
 * <p>A socket belongs to the network namespace of the thread that created it (see
 * {@link NetworkNamespace}); afterwards it may be used from any thread, but by one owner at a time:
 * the scratch buffers used by {@link #awaitReadable} and the option calls are not shared safely.
 * {@link #fd()} is exposed so an event loop (for example Netty's {@code EpollIoHandle}) can watch it.
 */
public final class LinuxSocket implements AutoCloseable {
    private final int fd;
    private final String description;
    private final NativeBuffer scratch = NativeBuffer.allocate(64);
    private volatile boolean closed;

    private LinuxSocket(int fd, String description) {
        this.fd = fd;
        this.description = description;
    }

    /** {@code socket(domain, type | SOCK_CLOEXEC, protocol)}; {@code description} names it in errors. */
    public static LinuxSocket open(int domain, int type, int protocol, String description) {
        int fd = Native.LIBC.socket(domain, type | Native.SOCK_CLOEXEC, protocol);
        if (fd < 0) {
            throw ErrnoException.lastError("socket", description);
        }
        return new LinuxSocket(fd, description);
    }

    public int fd() {
        return fd;
    }

    public String description() {
        return description;
    }

    public void setInt(int level, int option, int value, String optionName) {
        scratch.buffer().putInt(0, value);
        setRaw(level, option, scratch, 4, optionName);
    }

    /** Sets an option whose value is the first {@code length} bytes of {@code value}. */
    public void setRaw(int level, int option, NativeBuffer value, int length, String optionName) {
        if (Native.LIBC.setsockopt(fd, level, option, value.pointer(), length) != 0) {
            throw ErrnoException.lastError("setsockopt " + optionName, description);
        }
    }

    public void setBytes(int level, int option, byte[] value, String optionName) {
        NativeBuffer b = value.length <= 48 ? scratch : NativeBuffer.allocate(value.length);
        b.buffer().put(0, value);
        setRaw(level, option, b, value.length, optionName);
    }

    public int getInt(int level, int option, String optionName) {
        scratch.buffer().putInt(0, 0);
        scratch.buffer().putInt(8, 4);
        if (Native.LIBC.getsockopt(fd, level, option, scratch.pointer(), scratch.pointer().slice(8)) != 0) {
            throw ErrnoException.lastError("getsockopt " + optionName, description);
        }
        return scratch.buffer().getInt(0);
    }

    /** Sets or clears O_NONBLOCK with fcntl. */
    public void setNonBlocking(boolean on) {
        int flags = Native.LIBC.fcntl(fd, Native.F_GETFL, 0);
        if (flags < 0) {
            throw ErrnoException.lastError("fcntl F_GETFL", description);
        }
        int updated = on ? flags | Native.O_NONBLOCK : flags & ~Native.O_NONBLOCK;
        if (Native.LIBC.fcntl(fd, Native.F_SETFL, updated) < 0) {
            throw ErrnoException.lastError("fcntl F_SETFL", description);
        }
    }

    public void bind(NativeBuffer address, int length, String object) {
        if (Native.LIBC.bind(fd, address.pointer(), length) != 0) {
            throw ErrnoException.lastError("bind", description + " " + object);
        }
    }

    /** Binds to a device by name (SO_BINDTODEVICE); traffic then flows only through that interface. */
    public void bindToDevice(String ifName) {
        byte[] name = (ifName + "\0").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        setBytes(Native.SOL_SOCKET, Native.SO_BINDTODEVICE, name, "SO_BINDTODEVICE " + ifName);
    }

    /**
     * Waits up to {@code timeoutMillis} (0: just look, negative: forever) for data to read.
     * Allocation-free. An interrupted poll (EINTR) reports "not readable" and the caller loops.
     */
    public boolean awaitReadable(int timeoutMillis) {
        scratch.buffer().putInt(0, fd);
        scratch.buffer().putShort(4, Native.POLLIN);
        scratch.buffer().putShort(6, (short) 0);
        int n = Native.LIBC.poll(scratch.pointer(), 1, timeoutMillis);
        if (n < 0) {
            if (Native.errno() == Errno.EINTR) {
                return false;
            }
            throw ErrnoException.lastError("poll", description);
        }
        return n > 0 && scratch.buffer().getShort(6) != 0;
    }

    public boolean isOpen() {
        return !closed;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            Native.LIBC.close(fd);
        }
    }

    @Override
    public String toString() {
        return description + " fd " + fd;
    }
}
