package org.lvsha.core.platform.raw;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * A reusable holder for one datagram received by a {@link RawIpSocket}: the protocol payload (IPv4:
 * after the IP header, which the socket parsed), the source and destination addresses, the TTL or
 * hop limit it arrived with, and the interface. Filled in place by each receive, so the receive path
 * allocates nothing; the accessors returning {@link InetAddress} allocate and are for logs and tests.
 * Contents are valid until the next receive into the same holder.
 */
public final class ReceivedPacket {
    final byte[] source = new byte[16];
    final byte[] destination = new byte[16];
    int addressLength;
    int ttl = -1;
    int ifIndex;
    boolean truncated;
    final ByteBuffer payload;

    public ReceivedPacket() {
        this(ReceivedPacket.DEFAULT_CAPACITY);
    }

    public ReceivedPacket(int capacity) {
        payload = ByteBuffer.allocate(capacity);
    }

    static final int DEFAULT_CAPACITY = 9216;

    /** The payload, position 0 to limit = its length. */
    public ByteBuffer payload() {
        return payload;
    }

    /** TTL (IPv4) or hop limit (IPv6) the packet arrived with; -1 if the kernel did not say. */
    public int ttl() {
        return ttl;
    }

    /** The interface the packet arrived on. */
    public int ifIndex() {
        return ifIndex;
    }

    /** The datagram was longer than the payload buffer (or the IP header claimed more than arrived). */
    public boolean truncated() {
        return truncated;
    }

    /** 4 for IPv4, 16 for IPv6. */
    public int addressLength() {
        return addressLength;
    }

    /** Copies the source address bytes into {@code dst} (allocation-free); returns the length. */
    public int sourceAddress(byte[] dst) {
        System.arraycopy(source, 0, dst, 0, addressLength);
        return addressLength;
    }

    /** Copies the destination address bytes into {@code dst}; returns the length. */
    public int destinationAddress(byte[] dst) {
        System.arraycopy(destination, 0, dst, 0, addressLength);
        return addressLength;
    }

    public InetAddress source() {
        return toInet(source);
    }

    public InetAddress destination() {
        return toInet(destination);
    }

    private InetAddress toInet(byte[] a) {
        try {
            return InetAddress.getByAddress(Arrays.copyOf(a, addressLength));
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return source().getHostAddress() + " > " + destination().getHostAddress() + " ttl " + ttl + " ifindex " + ifIndex
                + " " + payload.remaining() + " bytes" + (truncated ? " (truncated)" : "");
    }
}
