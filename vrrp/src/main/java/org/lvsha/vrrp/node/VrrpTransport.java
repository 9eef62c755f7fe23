package org.lvsha.vrrp.node;

import java.net.InetAddress;
import java.util.function.Consumer;

/**
 * The network as the VRRP node sees it (Seesaw-style, kept narrow): send a VRRP message, receive VRRP
 * messages with their IP-level facts. The raw-socket adapter (IP protocol 112, TTL / hop limit 255,
 * multicast membership on each interface) implements it over the platform layer; {@link InMemoryNetwork}
 * implements it for tests.
 */
public interface VrrpTransport extends AutoCloseable {
    /** 224.0.0.18, RFC 5798 §5.1.1.2. */
    InetAddress GROUP_V4 = InetAddresses.of("224.0.0.18");
    /** ff02::12, RFC 5798 §5.1.2.2. */
    InetAddress GROUP_V6 = InetAddresses.of("ff02::12");

    /** Receive adverts sent to {@code group} on {@code interfaceName} (idempotent). */
    void join(String interfaceName, InetAddress group);

    /**
     * Sends {@code buf[off..off+len)} as the payload of one IP datagram, protocol 112, TTL / hop limit 255.
     * The bytes are consumed before return (the caller reuses the buffer). Failures throw unchecked
     * exceptions naming the interface and errno; the node counts them and carries on.
     */
    void send(String interfaceName, InetAddress source, InetAddress destination, byte[] buf, int off, int len);

    /** Sets the single receiver; the transport may call it from any thread. */
    void receiveWith(Consumer<ReceivedDatagram> receiver);

    /**
     * Hands every datagram already waiting in the socket to the receiver, without blocking. The node
     * calls it before firing deadlines: after a pause of the whole JVM, adverts that arrived during the
     * pause must reset the Master_Down_Timer before it is checked, or the pause looks like a dead master.
     */
    default void drainReceived() {
    }

    /**
     * Called by the node's owner thread when it has nothing to do: returns when a datagram may be waiting,
     * {@link #wakeup()} was called, or {@code timeoutNanos} (the next timer deadline) passed. A transport
     * whose sockets the owner thread polls itself (the raw-socket one) waits on them here, so the advert
     * path needs no receive thread. The default parks; transports that deliver from their own threads
     * call the receiver, which unparks the owner.
     */
    default void awaitReceived(long timeoutNanos) {
        java.util.concurrent.locks.LockSupport.parkNanos(timeoutNanos);
    }

    /** Ends a current or next {@link #awaitReceived} early (any thread): the node has queued work. */
    default void wakeup() {
    }

    @Override
    default void close() {
    }

    /** Address literals without a checked exception. */
    final class InetAddresses {
        private InetAddresses() {
        }

        public static InetAddress of(String literal) {
            try {
                return InetAddress.getByName(literal);
            } catch (java.net.UnknownHostException e) {
                throw new IllegalArgumentException(literal, e);
            }
        }
    }
}
