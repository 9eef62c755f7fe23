package org.lvsha.vrrp.codec;

/**
 * The Internet checksum (RFC 1071): 16-bit one's complement of the one's complement sum. Works on
 * arrays in place so that the advert path allocates nothing.
 */
public final class InternetChecksum {
    private InternetChecksum() {
    }

    /** Adds the big-endian 16-bit words of {@code buf[off..off+len)} to {@code sum}; an odd last byte is padded with zero. */
    public static long add(long sum, byte[] buf, int off, int len) {
        int end = off + len;
        int i = off;
        for (; i + 1 < end; i += 2) {
            sum += ((buf[i] & 0xff) << 8) | (buf[i + 1] & 0xff);
        }
        if (i < end) {
            sum += (buf[i] & 0xff) << 8;
        }
        return sum;
    }

    /** Folds carries and complements. */
    public static int finish(long sum) {
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        return (int) (~sum & 0xffff);
    }

    /**
     * Sum of the pseudo-header used by VRRPv3: for IPv4 the RFC 768-style one (source, destination, zero,
     * protocol 112, VRRP length; RFC 5798 §5.2.8), for IPv6 the RFC 2460 §8.1 one (source, destination,
     * 32-bit upper-layer length, 24 zero bits, next header 112). Both reduce to the same word sum.
     */
    public static long pseudoHeader(byte[] source, byte[] destination, int vrrpLength) {
        long sum = add(0, source, 0, source.length);
        sum = add(sum, destination, 0, destination.length);
        return sum + VrrpCodec.IP_PROTOCOL + vrrpLength;
    }
}
