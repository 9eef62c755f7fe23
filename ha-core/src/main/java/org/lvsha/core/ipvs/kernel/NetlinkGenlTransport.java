package org.lvsha.core.ipvs.kernel;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import org.lvsha.core.platform.netlink.GenericNetlinkSocket;
import org.lvsha.core.platform.netlink.NetlinkErrorException;
import org.lvsha.core.platform.netlink.NetlinkMessage;
import org.lvsha.core.platform.netlink.NetlinkSocket;

/**
 * {@link GenlTransport} over the platform's NETLINK_GENERIC socket, in the namespace of the thread that
 * opens it. Kernel refusals (NLMSG_ERROR) become {@link GenlReply#error}; a failed system call or a kernel
 * that does not answer within the socket's timeout stays an {@link org.lvsha.core.platform.ErrnoException},
 * which is an {@link java.io.UncheckedIOException} as the port requires.
 *
 * <p>Replies keep their genlmsghdr, because the IPVS codec checks the command of each reply (a GET_SERVICE
 * reply is a NEW_SERVICE message, §2.2). One socket serves one request at a time; requests are serialised.
 */
public final class NetlinkGenlTransport implements GenlTransport, AutoCloseable {

    private final GenericNetlinkSocket socket;

    private NetlinkGenlTransport(GenericNetlinkSocket socket) {
        this.socket = socket;
    }

    /** Opens a generic netlink socket in the calling thread's network namespace. */
    public static NetlinkGenlTransport open() {
        return new NetlinkGenlTransport(GenericNetlinkSocket.open());
    }

    @Override
    public synchronized int resolveFamily(String name) {
        try {
            return socket.resolveFamily(name);
        } catch (NetlinkErrorException e) {
            return -e.errno(); // nlctrl answers ENOENT for a family that is not registered (ip_vs not loaded)
        }
    }

    @Override
    public synchronized GenlReply request(int familyId, int command, int version, int flags, byte[] attributes) {
        byte[] genl = {(byte) command, (byte) version, 0, 0};
        List<NetlinkMessage> replies;
        try {
            // The socket adds NLM_F_REQUEST, and NLM_F_ACK for anything that is not a dump.
            replies = socket.netlink().request(familyId, flags, genl, attributes, "IPVS cmd " + command, "", timeoutMillis(command));
        } catch (NetlinkErrorException e) {
            return GenlReply.error(e.errno());
        }
        List<byte[]> out = new ArrayList<>(replies.size());
        for (NetlinkMessage m : replies) {
            ByteBuffer p = m.payload();
            byte[] bytes = new byte[p.limit()];
            p.get(0, bytes);
            out.add(bytes);
        }
        return GenlReply.ok(out);
    }

    /**
     * Starting a sync daemon creates kernel threads and opens their sockets, and the answer comes only when that
     * is done: under emulation (the kernel-vm guest, a loaded host) that may take longer than the default 5 s, and
     * waiting costs nothing when the answer comes. Stopping waits only a second: a stop the kernel leaves
     * unanswered is one it will never answer, and {@link KernelIpvs#stopDaemon} then asks what runs; the IPVS
     * family's commands are serialised, so that listing waits for a stop that is merely slow. (In a tight
     * start/stop loop in the kernel-vm guest a third of the stops went unanswered: each cost the whole wait.)
     * Every other command is answered at once.
     */
    static int timeoutMillis(int command) {
        return switch (command) {
            case IpvsGenl.CMD_NEW_DAEMON -> DAEMON_TIMEOUT_MILLIS;
            case IpvsGenl.CMD_DEL_DAEMON -> STOP_DAEMON_TIMEOUT_MILLIS;
            default -> NetlinkSocket.REQUEST_TIMEOUT_MILLIS;
        };
    }

    static final int STOP_DAEMON_TIMEOUT_MILLIS = 1_000;

    static final int DAEMON_TIMEOUT_MILLIS = 30_000;

    @Override
    public void close() {
        socket.close();
    }
}
