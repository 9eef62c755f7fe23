package org.lvsha.core.dataplane;

import java.nio.ByteBuffer;

/**
 * The Internet checksum (RFC 1071) over buffer ranges, and its incremental update (RFC 1624 eqn. 3:
 * {@code HC' = ~(~HC + ~m + m')}) for the fields a NAT rewrite changes. Static, allocation-free; every read is
 * an absolute big-endian 16-bit access, so the buffer's byte order must be BIG_ENDIAN.
 */
public final class InternetChecksum {

    private InternetChecksum() {
    }

    /** One's-complement sum (not folded, not inverted) of {@code length} bytes from {@code offset}; an odd tail is padded with zero. */
    public static long sum(ByteBuffer b, int offset, int length) {
        long sum = 0;
        int end = offset + (length & ~1);
        for (int i = offset; i < end; i += 2) {
            sum += b.getShort(i) & 0xffff;
        }
        if ((length & 1) != 0) {
            sum += (b.get(offset + length - 1) & 0xff) << 8;
        }
        return sum;
    }

    /** Folds a 32+-bit one's-complement sum to 16 bits and inverts it: the value written into a header. */
    public static int finish(long sum) {
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        return (int) (~sum & 0xffff);
    }

    /** RFC 1624 eqn. 3 for one 16-bit field changing from {@code old16} to {@code new16}. */
    public static int update16(int checksum, int old16, int new16) {
        long sum = (~checksum & 0xffff) + (~old16 & 0xffff) + (new16 & 0xffff);
        return finish(sum);
    }

    /** RFC 1624 eqn. 3 for a 32-bit field (an IPv4 address): two 16-bit updates folded together. */
    public static int update32(int checksum, int old32, int new32) {
        long sum = (~checksum & 0xffff)
                + (~(old32 >>> 16) & 0xffff) + (~old32 & 0xffff)
                + ((new32 >>> 16) & 0xffff) + (new32 & 0xffff);
        return finish(sum);
    }

    /** The TCP/UDP pseudo-header sum for IPv4 (RFC 793 §3.1, RFC 768). */
    public static long pseudoHeaderSum(int source, int destination, int protocol, int l4Length) {
        return ((source >>> 16) & 0xffff) + (source & 0xffff) + ((destination >>> 16) & 0xffff) + (destination & 0xffff)
                + protocol + l4Length;
    }
}
