package org.lvsha.core.platform.raw;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import org.lvsha.core.platform.Errno;
import org.lvsha.core.platform.ErrnoException;
import org.lvsha.core.platform.LinuxSocket;
import org.lvsha.core.platform.Native;
import org.lvsha.core.platform.NativeBuffer;
import org.lvsha.core.platform.SockAddr;

/**
 * A raw IPv4 or IPv6 socket for one IP protocol (VRRP: {@link #IPPROTO_VRRP}) bound to one interface,
 * as a VRRP transport needs it: multicast group membership on that interface, TTL / hop limit 255 on
 * everything sent (RFC 5798 §5.1.1.3), multicast loopback off, and for each received packet its
 * source, destination, TTL / hop limit and arrival interface.
 *
 * <p>Non-blocking, driven by one owner thread (poll with {@link #awaitReadable}, or register
 * {@link #socket()}'s fd with an event loop). Send and receive allocate nothing: payloads are copied
 * into native buffers made once, and destinations are prepared once with {@link #destination}.
 *
 * <p>IPv4 raw sockets deliver the IP header with the payload; it is parsed here (TTL, addresses) and
 * stripped. IPv6 raw sockets deliver only the payload; the hop limit and destination come from the
 * IPV6_HOPLIMIT and IPV6_PKTINFO control messages (RFC 3542). For IPv6, the kernel computes no
 * checksum for protocols other than ICMPv6 unless {@link #setChecksumOffset} asks it to.
 */
public final class RawIpSocket implements AutoCloseable {
    public static final int IPPROTO_VRRP = 112;

    // <netinet/in.h>, <linux/in.h>, <linux/in6.h>
    static final int IPPROTO_IP = 0;
    static final int IPPROTO_IPV6 = 41;
    static final int IP_TTL = 2;
    static final int IP_PKTINFO = 8;
    static final int IP_MULTICAST_IF = 32;
    static final int IP_MULTICAST_TTL = 33;
    static final int IP_MULTICAST_LOOP = 34;
    static final int IP_ADD_MEMBERSHIP = 35;
    static final int IP_DROP_MEMBERSHIP = 36;
    static final int IPV6_CHECKSUM = 7;
    static final int IPV6_UNICAST_HOPS = 16;
    static final int IPV6_MULTICAST_IF = 17;
    static final int IPV6_MULTICAST_HOPS = 18;
    static final int IPV6_MULTICAST_LOOP = 19;
    static final int IPV6_JOIN_GROUP = 20;
    static final int IPV6_LEAVE_GROUP = 21;
    static final int IPV6_RECVPKTINFO = 49;
    static final int IPV6_PKTINFO = 50;
    static final int IPV6_RECVHOPLIMIT = 51;
    static final int IPV6_HOPLIMIT = 52;

    /** LP64 struct msghdr: name, namelen (+pad), iov, iovlen, control, controllen, flags (+pad). */
    private static final int MSGHDR_SIZE = 56;
    private static final int IOV_OFFSET = 64;
    private static final int NAME_OFFSET = 80;
    private static final int CONTROL_OFFSET = 128;
    private static final int CONTROL_SIZE = 128;
    private static final int MAX_DATAGRAM = 65536;
    private static final int IPV4_HEADER_MIN = 20;
    private static final int SEND_CONTROL_OFFSET = 80;

    private final LinuxSocket socket;
    private final boolean ipv6;
    private final int protocol;
    private final String ifName;
    private final int ifIndex;
    private final NativeBuffer sendBuffer = NativeBuffer.allocate(MAX_DATAGRAM);
    private final NativeBuffer receiveBuffer = NativeBuffer.allocate(MAX_DATAGRAM);
    private final NativeBuffer message = NativeBuffer.allocate(CONTROL_OFFSET + CONTROL_SIZE);
    /** msghdr + iovec + one pktinfo cmsg for sends from a chosen source address (sendmsg). */
    private final NativeBuffer sendMessage = NativeBuffer.allocate(SEND_CONTROL_OFFSET + 64);
    private InetAddress sourceAddress;

    /** A destination prepared once (its sockaddr in native memory) so sends allocate nothing. */
    public static final class Destination {
        private final NativeBuffer sockaddr;
        private final int length;
        private final InetAddress address;

        private Destination(InetAddress address, int scopeId) {
            this.address = address;
            this.sockaddr = NativeBuffer.allocate(SockAddr.IN6_SIZE);
            this.length = SockAddr.writeInet(sockaddr.buffer(), address, scopeId);
        }

        public InetAddress address() {
            return address;
        }
    }

    private RawIpSocket(LinuxSocket socket, boolean ipv6, int protocol, String ifName, int ifIndex) {
        this.socket = socket;
        this.ipv6 = ipv6;
        this.protocol = protocol;
        this.ifName = ifName;
        this.ifIndex = ifIndex;
        prepareMessageHeader();
    }

    /**
     * Opens a raw socket for {@code protocol} on interface {@code ifName}, in the calling thread's
     * network namespace, with TTL / hop limit 255, multicast out of that interface, loopback off, and
     * the per-packet metadata enabled. Join groups with {@link #joinGroup}.
     */
    public static RawIpSocket open(boolean ipv6, int protocol, String ifName) {
        int ifIndex = Native.LIBC.if_nametoindex(ifName);
        if (ifIndex == 0) {
            throw ErrnoException.lastError("if_nametoindex", ifName);
        }
        String description = (ipv6 ? "raw IPv6" : "raw IPv4") + " protocol " + protocol + " dev " + ifName;
        LinuxSocket s = LinuxSocket.open(ipv6 ? Native.AF_INET6 : Native.AF_INET, Native.SOCK_RAW, protocol, description);
        try {
            RawIpSocket r = new RawIpSocket(s, ipv6, protocol, ifName, ifIndex);
            s.setNonBlocking(true);
            s.bindToDevice(ifName);
            if (ipv6) {
                s.setInt(IPPROTO_IPV6, IPV6_RECVPKTINFO, 1, "IPV6_RECVPKTINFO");
                s.setInt(IPPROTO_IPV6, IPV6_RECVHOPLIMIT, 1, "IPV6_RECVHOPLIMIT");
                s.setInt(IPPROTO_IPV6, IPV6_MULTICAST_IF, ifIndex, "IPV6_MULTICAST_IF");
            } else {
                s.setInt(IPPROTO_IP, IP_PKTINFO, 1, "IP_PKTINFO");
                s.setBytes(IPPROTO_IP, IP_MULTICAST_IF, ipMreqn(null, ifIndex), "IP_MULTICAST_IF");
            }
            r.setHopLimit(255);
            r.setMulticastLoop(false);
            return r;
        } catch (RuntimeException e) {
            s.close();
            throw e;
        }
    }

    /** TTL / hop limit for both unicast and multicast sends. */
    public void setHopLimit(int hops) {
        if (ipv6) {
            socket.setInt(IPPROTO_IPV6, IPV6_UNICAST_HOPS, hops, "IPV6_UNICAST_HOPS");
            socket.setInt(IPPROTO_IPV6, IPV6_MULTICAST_HOPS, hops, "IPV6_MULTICAST_HOPS");
        } else {
            socket.setInt(IPPROTO_IP, IP_TTL, hops, "IP_TTL");
            socket.setInt(IPPROTO_IP, IP_MULTICAST_TTL, hops, "IP_MULTICAST_TTL");
        }
    }

    /** Whether our own multicast comes back to sockets on this host (off by default). */
    public void setMulticastLoop(boolean on) {
        if (ipv6) {
            socket.setInt(IPPROTO_IPV6, IPV6_MULTICAST_LOOP, on ? 1 : 0, "IPV6_MULTICAST_LOOP");
        } else {
            socket.setInt(IPPROTO_IP, IP_MULTICAST_LOOP, on ? 1 : 0, "IP_MULTICAST_LOOP");
        }
    }

    /**
     * IPv6 only: have the kernel fill in the checksum at {@code offset} in the payload on send and
     * verify it on receive (RFC 3542 §3.1; VRRPv3's checksum is at offset 6). -1 turns it off.
     */
    public void setChecksumOffset(int offset) {
        if (!ipv6) {
            throw new IllegalStateException("IPV6_CHECKSUM applies to IPv6 raw sockets");
        }
        socket.setInt(IPPROTO_IPV6, IPV6_CHECKSUM, offset, "IPV6_CHECKSUM");
    }

    /**
     * Sends from {@code source} (one of this host's addresses) instead of the address the kernel would
     * pick: every send then goes through sendmsg with an IP_PKTINFO / IPV6_PKTINFO control message
     * (ip(7), RFC 3542 §6), prepared here once. Binding the socket to the address instead would also
     * filter what it receives to that destination, losing the multicast group. {@code null} reverts to
     * the kernel's choice. Example: VRRPv3 over IPv6 must send from the interface's link-local address
     * (RFC 5798 §5.1.2.1) also to global unicast peers.
     */
    public void setSourceAddress(InetAddress source) {
        if (source == null) {
            sourceAddress = null;
            return;
        }
        checkFamily(source);
        ByteBuffer m = sendMessage.buffer();
        long base = sendMessage.address();
        for (int i = 0; i < sendMessage.capacity(); i++) {
            m.put(i, (byte) 0);
        }
        m.putLong(16, base + IOV_OFFSET);
        m.putLong(24, 1);
        m.putLong(32, base + SEND_CONTROL_OFFSET);
        m.putLong(IOV_OFFSET, sendBuffer.address());
        int c = SEND_CONTROL_OFFSET;
        if (ipv6) {
            // struct in6_pktinfo {in6_addr ipi6_addr; int ipi6_ifindex}: source address and interface.
            m.putLong(c, 16 + 20).putInt(c + 8, IPPROTO_IPV6).putInt(c + 12, IPV6_PKTINFO);
            m.put(c + 16, source.getAddress());
            m.putInt(c + 32, ifIndex);
            m.putLong(40, 40); // CMSG_SPACE(20)
        } else {
            // struct in_pktinfo {int ipi_ifindex; in_addr ipi_spec_dst; in_addr ipi_addr}: spec_dst is the source.
            m.putLong(c, 16 + 12).putInt(c + 8, IPPROTO_IP).putInt(c + 12, IP_PKTINFO);
            m.putInt(c + 16, ifIndex);
            m.put(c + 20, source.getAddress());
            m.putLong(40, 32); // CMSG_SPACE(12)
        }
        sourceAddress = source;
    }

    /** Joins {@code group} on this socket's interface (ip_mreqn with ifindex / ipv6_mreq). */
    public void joinGroup(InetAddress group) {
        membership(group, true);
    }

    public void leaveGroup(InetAddress group) {
        membership(group, false);
    }

    private void membership(InetAddress group, boolean join) {
        checkFamily(group);
        if (ipv6) {
            byte[] mreq = new byte[20];
            System.arraycopy(group.getAddress(), 0, mreq, 0, 16);
            ByteBuffer.wrap(mreq).order(java.nio.ByteOrder.nativeOrder()).putInt(16, ifIndex);
            socket.setBytes(IPPROTO_IPV6, join ? IPV6_JOIN_GROUP : IPV6_LEAVE_GROUP, mreq,
                    (join ? "IPV6_JOIN_GROUP " : "IPV6_LEAVE_GROUP ") + group.getHostAddress());
        } else {
            socket.setBytes(IPPROTO_IP, join ? IP_ADD_MEMBERSHIP : IP_DROP_MEMBERSHIP, ipMreqn(group, ifIndex),
                    (join ? "IP_ADD_MEMBERSHIP " : "IP_DROP_MEMBERSHIP ") + group.getHostAddress());
        }
    }

    /** {@code struct ip_mreqn {in_addr multiaddr; in_addr address; int ifindex}}. */
    private static byte[] ipMreqn(InetAddress group, int ifIndex) {
        byte[] m = new byte[12];
        if (group != null) {
            System.arraycopy(group.getAddress(), 0, m, 0, 4);
        }
        ByteBuffer.wrap(m).order(java.nio.ByteOrder.nativeOrder()).putInt(8, ifIndex);
        return m;
    }

    /**
     * Prepares a destination (a multicast group or a unicast peer) once; link-local IPv6 peers are
     * scoped to this socket's interface.
     */
    public Destination destination(InetAddress address) {
        checkFamily(address);
        return new Destination(address, ipv6 ? ifIndex : 0);
    }

    /**
     * Sends the bytes from {@code payload}'s position to its limit (position unchanged) as one datagram.
     * Allocation-free.
     *
     * @return false if the socket buffer was full (EAGAIN) and nothing was sent
     */
    public boolean send(ByteBuffer payload, Destination to) {
        int n = payload.remaining();
        if (n > MAX_DATAGRAM) {
            throw new IllegalArgumentException("datagram of " + n + " bytes");
        }
        sendBuffer.buffer().put(0, payload, payload.position(), n);
        return sendPrepared(n, to);
    }

    /** Sends {@code payload[offset..offset+length)} as one datagram; as {@link #send(ByteBuffer, Destination)}. */
    public boolean send(byte[] payload, int offset, int length, Destination to) {
        if (length > MAX_DATAGRAM) {
            throw new IllegalArgumentException("datagram of " + length + " bytes");
        }
        sendBuffer.buffer().put(0, payload, offset, length);
        return sendPrepared(length, to);
    }

    private boolean sendPrepared(int n, Destination to) {
        long sent;
        if (sourceAddress == null) {
            sent = Native.LIBC.sendto(socket.fd(), sendBuffer.pointer(), n, 0, to.sockaddr.pointer(), to.length);
        } else {
            ByteBuffer m = sendMessage.buffer();
            m.putLong(0, to.sockaddr.address());
            m.putInt(8, to.length);
            m.putLong(IOV_OFFSET + 8, n);
            sent = Native.LIBC.sendmsg(socket.fd(), sendMessage.pointer(), 0);
        }
        if (sent < 0) {
            int errno = Native.errno();
            if (errno == Errno.EAGAIN) {
                return false;
            }
            throw new ErrnoException("sendto", socket.description() + " to " + to.address.getHostAddress(), errno, null);
        }
        return true;
    }

    /**
     * Receives one queued datagram into {@code into}; false when none is queued (never waits).
     * Datagrams that are not well-formed IPv4 (IPv4 sockets) are reported as truncated with an empty
     * payload, never thrown, so bad input cannot break the receive loop.
     */
    public boolean receive(ReceivedPacket into) {
        ByteBuffer m = message.buffer();
        m.putInt(8, ipv6 ? SockAddr.IN6_SIZE : SockAddr.IN_SIZE);
        m.putLong(40, CONTROL_SIZE);
        m.putInt(48, 0);
        long n = Native.LIBC.recvmsg(socket.fd(), message.pointer(), Native.MSG_DONTWAIT | Native.MSG_TRUNC);
        if (n < 0) {
            int errno = Native.errno();
            if (errno == Errno.EAGAIN || errno == Errno.EINTR) {
                return false;
            }
            throw new ErrnoException("recvmsg", socket.description(), errno, null);
        }
        int length = (int) Math.min(n, MAX_DATAGRAM);
        into.truncated = n > MAX_DATAGRAM;
        into.ttl = -1;
        into.ifIndex = 0;
        parseControlMessages(into);
        ByteBuffer data = receiveBuffer.buffer();
        int payloadStart = 0;
        int payloadEnd = length;
        if (ipv6) {
            into.addressLength = 16;
            for (int i = 0; i < 16; i++) {
                into.source[i] = m.get(NAME_OFFSET + 8 + i);
            }
        } else {
            into.addressLength = 4;
            int ihl = length >= 1 ? (data.get(0) & 0x0f) * 4 : 0;
            if (length < IPV4_HEADER_MIN || ihl < IPV4_HEADER_MIN || ihl > length) {
                into.truncated = true;
                into.payload.clear().limit(0);
                return true;
            }
            into.ttl = data.get(8) & 0xff;
            for (int i = 0; i < 4; i++) {
                into.source[i] = data.get(12 + i);
                into.destination[i] = data.get(16 + i);
            }
            int totalLength = ((data.get(2) & 0xff) << 8) | (data.get(3) & 0xff);
            if (totalLength > length) {
                into.truncated = true;
            } else {
                payloadEnd = totalLength;
            }
            payloadStart = ihl;
        }
        int count = payloadEnd - payloadStart;
        ByteBuffer out = into.payload;
        out.clear();
        if (count > out.capacity()) {
            into.truncated = true;
            count = out.capacity();
        }
        out.put(0, data, payloadStart, count);
        out.limit(count);
        return true;
    }

    /** Walks the cmsg list: IP_PKTINFO (ifindex), IPV6_PKTINFO (destination, ifindex), IPV6_HOPLIMIT. */
    private void parseControlMessages(ReceivedPacket into) {
        ByteBuffer m = message.buffer();
        long controlLength = m.getLong(40);
        int offset = CONTROL_OFFSET;
        int end = CONTROL_OFFSET + (int) Math.min(controlLength, CONTROL_SIZE);
        while (offset + 16 <= end) {
            long len = m.getLong(offset);
            int level = m.getInt(offset + 8);
            int type = m.getInt(offset + 12);
            int data = offset + 16;
            if (len < 16 || offset + len > end) {
                return;
            }
            if (level == IPPROTO_IP && type == IP_PKTINFO && len >= 16 + 12) {
                // struct in_pktinfo {int ifindex; in_addr spec_dst; in_addr addr}
                into.ifIndex = m.getInt(data);
            } else if (level == IPPROTO_IPV6 && type == IPV6_PKTINFO && len >= 16 + 20) {
                // struct in6_pktinfo {in6_addr addr; int ifindex}
                for (int i = 0; i < 16; i++) {
                    into.destination[i] = m.get(data + i);
                }
                into.ifIndex = m.getInt(data + 16);
            } else if (level == IPPROTO_IPV6 && type == IPV6_HOPLIMIT && len >= 16 + 4) {
                into.ttl = m.getInt(data);
            }
            offset += (int) ((len + 7) & ~7L); // CMSG_ALIGN on LP64
        }
    }

    private void prepareMessageHeader() {
        ByteBuffer m = message.buffer();
        long base = message.address();
        m.putLong(0, base + NAME_OFFSET);
        m.putInt(8, ipv6 ? SockAddr.IN6_SIZE : SockAddr.IN_SIZE);
        m.putLong(16, base + IOV_OFFSET);
        m.putLong(24, 1);
        m.putLong(32, base + CONTROL_OFFSET);
        m.putLong(40, CONTROL_SIZE);
        m.putInt(48, 0);
        m.putLong(IOV_OFFSET, receiveBuffer.address());
        m.putLong(IOV_OFFSET + 8, MAX_DATAGRAM);
    }

    private void checkFamily(InetAddress a) {
        if (ipv6 != (a instanceof Inet6Address) || (!ipv6 && !(a instanceof Inet4Address))) {
            throw new IllegalArgumentException(a.getHostAddress() + " on a " + (ipv6 ? "IPv6" : "IPv4") + " socket");
        }
    }

    /** Waits up to {@code timeoutMillis} for a datagram; allocation-free. */
    public boolean awaitReadable(int timeoutMillis) {
        return socket.awaitReadable(timeoutMillis);
    }

    public int ifIndex() {
        return ifIndex;
    }

    public String ifName() {
        return ifName;
    }

    public int protocol() {
        return protocol;
    }

    public boolean ipv6() {
        return ipv6;
    }

    public LinuxSocket socket() {
        return socket;
    }

    @Override
    public void close() {
        socket.close();
    }
}
