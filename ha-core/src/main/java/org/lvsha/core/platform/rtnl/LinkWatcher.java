package org.lvsha.core.platform.rtnl;

import org.lvsha.core.platform.Errno;
import org.lvsha.core.platform.ErrnoException;
import org.lvsha.core.platform.LinuxSocket;
import org.lvsha.core.platform.netlink.NetlinkMessage;
import org.lvsha.core.platform.netlink.NetlinkSocket;

/**
 * Link up/down (and other link) events from the RTMGRP_LINK multicast group of the namespace where it
 * was opened. Poll it from the owning thread, or watch {@link #socket()}'s fd in an event loop and
 * call {@link #poll(int, Listener)} with timeout 0 when it is readable.
 */
public final class LinkWatcher implements AutoCloseable {
    /** Receives events on the polling thread. */
    public interface Listener {
        void linkChanged(LinkEvent event);

        /**
         * The kernel dropped events because they came faster than they were read (ENOBUFS): the
         * listener's view may be stale and should be rebuilt from {@link RtNetlink#links()}.
         */
        default void eventsLost() {
        }
    }

    private final NetlinkSocket socket;

    private LinkWatcher(NetlinkSocket socket) {
        this.socket = socket;
    }

    public static LinkWatcher open() {
        return new LinkWatcher(NetlinkSocket.open(NetlinkSocket.NETLINK_ROUTE, RtNetlink.RTMGRP_LINK));
    }

    /**
     * Delivers the events queued now, waiting up to {@code timeoutMillis} for the first one.
     * Returns how many link events were delivered.
     */
    public int poll(int timeoutMillis, Listener listener) {
        int[] count = {0};
        try {
            socket.receive(m -> {
                if (m.type() == RtNetlink.RTM_NEWLINK || m.type() == RtNetlink.RTM_DELLINK) {
                    listener.linkChanged(new LinkEvent(m.type() == RtNetlink.RTM_DELLINK, Link.parse(m)));
                    count[0]++;
                } else if (m.type() == NetlinkMessage.NLMSG_OVERRUN) {
                    listener.eventsLost();
                }
            }, timeoutMillis);
        } catch (ErrnoException e) {
            if (e.errno() != Errno.ENOBUFS) {
                throw e;
            }
            listener.eventsLost();
        }
        return count[0];
    }

    public LinuxSocket socket() {
        return socket.socket();
    }

    @Override
    public void close() {
        socket.close();
    }
}
