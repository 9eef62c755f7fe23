package org.lvsha.core.platform.netlink;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.lvsha.core.platform.Errno;
import org.lvsha.core.platform.ErrnoException;
import org.lvsha.core.platform.LinuxSocket;
import org.lvsha.core.platform.Native;
import org.lvsha.core.platform.NativeBuffer;
import org.lvsha.core.platform.SockAddr;

/**
 * A netlink socket of any protocol: request → ack, dumps (NLM_F_MULTI until NLMSG_DONE) and, when
 * bound to multicast groups, events. Errors from the kernel become {@link ErrnoException}s naming the
 * operation and object the caller passes, plus the kernel's extended-ack text when it gives one.
 *
 * <p>Not thread-safe: one owner thread. Replies are matched by sequence number; anything else read
 * while waiting (a late reply to an abandoned request) is dropped. Sockets used for requests should
 * not also subscribe to groups, so events are never mistaken for, or lost among, replies.
 */
public final class NetlinkSocket implements AutoCloseable {
    public static final int NETLINK_ROUTE = 0;
    public static final int NETLINK_GENERIC = 16;

    private static final int NETLINK_CAP_ACK = 10;
    private static final int NETLINK_EXT_ACK = 11;
    private static final int RECEIVE_BUFFER = 64 * 1024;
    /**
     * How long a request waits for the kernel's answer by default. The kernel answers every request but one whose
     * handler returns -EINTR (netlink_rcv_skb skips the ack then: seen with IPVS's DEL_DAEMON, see KernelIpvs),
     * and a wedged kernel.
     */
    public static final int REQUEST_TIMEOUT_MILLIS = 5_000;
    private static final int DUMP_RETRIES = 3;

    private final LinuxSocket socket;
    private final NativeBuffer sendBuffer = NativeBuffer.allocate(8 * 1024);
    private final NativeBuffer receiveBuffer = NativeBuffer.allocate(RECEIVE_BUFFER);
    private final NativeBuffer address = NativeBuffer.allocate(SockAddr.NL_SIZE);
    private int sequence = (int) (System.nanoTime() & 0x3fffffff);

    private NetlinkSocket(LinuxSocket socket) {
        this.socket = socket;
    }

    /**
     * Opens a netlink socket of {@code protocol} in the calling thread's namespace, bound with the
     * given multicast {@code groups} bitmask (0 for a request socket).
     */
    public static NetlinkSocket open(int protocol, int groups) {
        LinuxSocket s = LinuxSocket.open(Native.AF_NETLINK, Native.SOCK_RAW, protocol, "netlink protocol " + protocol);
        try {
            NetlinkSocket n = new NetlinkSocket(s);
            // Ask for short acks carrying the kernel's explanation; older kernels lack these, which is fine.
            trySet(s, NETLINK_CAP_ACK);
            trySet(s, NETLINK_EXT_ACK);
            n.socket.setNonBlocking(true);
            SockAddr.writeNetlink(n.address.buffer(), 0, groups);
            s.bind(n.address, SockAddr.NL_SIZE, "groups 0x" + Integer.toHexString(groups));
            return n;
        } catch (RuntimeException e) {
            s.close();
            throw e;
        }
    }

    private static void trySet(LinuxSocket s, int option) {
        try {
            s.setInt(Native.SOL_NETLINK, option, 1, "netlink option " + option);
        } catch (ErrnoException ignored) {
            // Optional kernel feature.
        }
    }

    public LinuxSocket socket() {
        return socket;
    }

    public int nextSequence() {
        sequence = (sequence + 1) & 0x7fffffff;
        return sequence == 0 ? ++sequence : sequence;
    }

    /**
     * Sends one request and collects its replies. With NLM_F_DUMP in {@code flags} the reply messages
     * are returned up to NLMSG_DONE (a dump the kernel marks interrupted, because the table changed
     * while it was read, is retried up to 3 times; the last attempt is returned as it is); otherwise
     * NLM_F_ACK is added and data messages are returned once the ack arrives. A request carrying
     * NLM_F_CREATE is never taken for a dump, whatever else its flags say.
     *
     * @param operation names the request in errors, e.g. {@code RTM_NEWADDR}
     * @param object    what it applies to, e.g. {@code 192.0.2.100/24 dev eth0}
     * @throws NetlinkErrorException when the kernel answers with an error
     * @throws ErrnoException when a system call fails, or no answer comes within 5 s (ETIMEDOUT)
     */
    public List<NetlinkMessage> request(int type, int flags, byte[] fixedHeader, byte[] attributes, String operation, String object) {
        return request(type, flags, fixedHeader, attributes, operation, object, REQUEST_TIMEOUT_MILLIS);
    }

    /** The same with its own wait for the answer, for requests the kernel may take long to carry out. */
    public List<NetlinkMessage> request(int type, int flags, byte[] fixedHeader, byte[] attributes, String operation, String object,
                                        int timeoutMillis) {
        boolean dump = (flags & NetlinkMessage.NLM_F_DUMP) == NetlinkMessage.NLM_F_DUMP && !isNewRequest(flags);
        for (int attempt = 1; ; attempt++) {
            int seq = nextSequence();
            int f = flags | NetlinkMessage.NLM_F_REQUEST | (dump ? 0 : NetlinkMessage.NLM_F_ACK);
            send(NetlinkMessage.encode(type, f, seq, 0, fixedHeader, attributes), operation, object);
            Collected c = collect(seq, operation, object, timeoutMillis);
            if (!c.interrupted || attempt >= DUMP_RETRIES) {
                return c.messages;
            }
        }
    }

    /** NEW requests reuse the 0x300 bits as EXCL|REPLACE, which is not a dump. */
    private static boolean isNewRequest(int flags) {
        return (flags & NetlinkMessage.NLM_F_CREATE) != 0;
    }

    /** Sends an already encoded message. */
    public void send(byte[] message, String operation, String object) {
        if (message.length > sendBuffer.capacity()) {
            throw new IllegalArgumentException(operation + " message of " + message.length + " bytes exceeds " + sendBuffer.capacity());
        }
        sendBuffer.buffer().put(0, message);
        SockAddr.writeNetlink(address.buffer(), 0, 0);
        long n = Native.LIBC.sendto(socket.fd(), sendBuffer.pointer(), message.length, 0, address.pointer(), SockAddr.NL_SIZE);
        if (n < 0) {
            throw ErrnoException.lastError(operation, object);
        }
    }

    /**
     * Reads whatever messages are queued, waiting up to {@code timeoutMillis} for the first, and hands
     * each to {@code consumer}. Returns the number delivered.
     *
     * @throws ErrnoException with ENOBUFS when the kernel dropped messages because the socket queue
     *                        overflowed: a subscriber must then re-read the full state
     */
    public int receive(Consumer<NetlinkMessage> consumer, int timeoutMillis) {
        if (!socket.awaitReadable(timeoutMillis)) {
            return 0;
        }
        int delivered = 0;
        while (true) {
            List<NetlinkMessage> batch = readOnce("recv", socket.description());
            if (batch == null) {
                return delivered;
            }
            for (NetlinkMessage m : batch) {
                consumer.accept(m);
                delivered++;
            }
        }
    }

    private record Collected(List<NetlinkMessage> messages, boolean interrupted) {
    }

    private Collected collect(int seq, String operation, String object, int timeoutMillis) {
        List<NetlinkMessage> out = new ArrayList<>();
        boolean interrupted = false;
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        while (true) {
            long left = (deadline - System.nanoTime()) / 1_000_000L;
            if (left <= 0) {
                throw new ErrnoException(operation, object, Errno.ETIMEDOUT, "no reply from the kernel within " + timeoutMillis + " ms");
            }
            if (!socket.awaitReadable((int) left)) {
                continue;
            }
            List<NetlinkMessage> batch = readOnce(operation, object);
            if (batch == null) {
                continue;
            }
            for (NetlinkMessage m : batch) {
                if (m.sequence() != seq) {
                    continue;
                }
                if ((m.flags() & NetlinkMessage.NLM_F_DUMP_INTR) != 0) {
                    interrupted = true;
                }
                switch (m.type()) {
                    case NetlinkMessage.NLMSG_NOOP -> {
                    }
                    case NetlinkMessage.NLMSG_ERROR -> {
                        int code = m.errorCode();
                        if (code != 0) {
                            throw new NetlinkErrorException(operation, object, -code, m.extendedAckMessage());
                        }
                        return new Collected(out, interrupted);
                    }
                    case NetlinkMessage.NLMSG_DONE -> {
                        // A dump may end with an error in place of its data (linux/netlink.h: NLMSG_DONE carries an int).
                        if (m.payload().limit() >= 4 && m.payload().getInt(0) < 0) {
                            throw new NetlinkErrorException(operation, object, -m.payload().getInt(0), null);
                        }
                        return new Collected(out, interrupted);
                    }
                    default -> out.add(m);
                }
            }
        }
    }

    /** One recv; null when nothing was queued (EAGAIN). */
    private List<NetlinkMessage> readOnce(String operation, String object) {
        long n = Native.LIBC.recvfrom(socket.fd(), receiveBuffer.pointer(), RECEIVE_BUFFER,
                Native.MSG_DONTWAIT | Native.MSG_TRUNC, null, null);
        if (n < 0) {
            int errno = Native.errno();
            if (errno == Errno.EAGAIN || errno == Errno.EINTR) {
                return null;
            }
            throw new ErrnoException(operation, object + " (receive)", errno, null);
        }
        if (n > RECEIVE_BUFFER) {
            throw new ErrnoException(operation, object + " (reply of " + n + " bytes)", 90, "exceeds the receive buffer");
        }
        ByteBuffer view = receiveBuffer.buffer().duplicate().order(receiveBuffer.buffer().order());
        view.position(0).limit((int) n);
        return NetlinkMessage.parseAll(view);
    }

    @Override
    public void close() {
        socket.close();
    }
}
