package org.lvsha.core.ipvs.sched;

/**
 * The packet facts a scheduler may key on, as a reusable mutable flyweight so the data plane can fill it in
 * place per packet without allocating. Addresses are held as raw bytes (4 or 16 used).
 */
public final class FlowKey {

    final byte[] source = new byte[16];
    final byte[] destination = new byte[16];
    int addressLength = 4;
    int sourcePort;
    int destinationPort;
    long nowMillis;

    /** Sets the flow; {@code addressLength} is 4 or 16 and applies to both addresses. */
    public FlowKey set(byte[] sourceAddress, int sourcePort, byte[] destinationAddress, int destinationPort,
                       int addressLength, long nowMillis) {
        if (addressLength != 4 && addressLength != 16) {
            throw new IllegalArgumentException("address length must be 4 or 16");
        }
        System.arraycopy(sourceAddress, 0, source, 0, addressLength);
        System.arraycopy(destinationAddress, 0, destination, 0, addressLength);
        this.addressLength = addressLength;
        this.sourcePort = sourcePort;
        this.destinationPort = destinationPort;
        this.nowMillis = nowMillis;
        return this;
    }

    /** The monotonic time of the packet, for the locality schedulers' cache expiry. */
    public long nowMillis() {
        return nowMillis;
    }

    public int sourcePort() {
        return sourcePort;
    }

    /** {@code ntohl} of the IPv4 source, or the XOR of the four IPv6 words (kernel sh/mh/dh address fold). */
    int foldedSource() {
        return fold(source);
    }

    int foldedDestination() {
        return fold(destination);
    }

    private int fold(byte[] a) {
        int v = word(a, 0);
        if (addressLength == 16) {
            v ^= word(a, 4) ^ word(a, 8) ^ word(a, 12);
        }
        return v;
    }

    static int word(byte[] a, int off) {
        return ((a[off] & 0xff) << 24) | ((a[off + 1] & 0xff) << 16) | ((a[off + 2] & 0xff) << 8) | (a[off + 3] & 0xff);
    }

    long destinationHigh() {
        return addressLength == 16 ? ((long) word(destination, 0) << 32) | (word(destination, 4) & 0xffffffffL) : 0;
    }

    long destinationLow() {
        if (addressLength == 16) {
            return ((long) word(destination, 8) << 32) | (word(destination, 12) & 0xffffffffL);
        }
        return word(destination, 0) & 0xffffffffL;
    }
}
