package org.lvsha.core.dataplane;

/**
 * Why a frame read from the ring is not forwarded as it is, one counter each. The data plane never throws on
 * a frame; every path ends in forward, one of these, or "not ours". {@link #passes()} says whether the frame
 * is still forwarded (counted for visibility only) or dropped.
 */
public enum BadFrame {
    /** Shorter than Ethernet + minimal IPv4 header, or the ring truncated it (frame larger than a ring slot). */
    TRUNCATED(false),
    /** Not IPv4 after the Ethernet header (the BPF filter lets only IPv4 through; IPv6 is not forwarded yet). */
    NOT_IPV4(false),
    /** IPv4 header length under 20 bytes or beyond the frame. */
    BAD_HEADER_LENGTH(false),
    /** Total length below the header length, or beyond the captured frame. */
    BAD_TOTAL_LENGTH(false),
    /** IPv4 header checksum wrong (RFC 791). */
    BAD_IP_CHECKSUM(false),
    /** A fragment: IPVS forwards only reassembled datagrams (the kernel defragments first); we do not reassemble. */
    FRAGMENT(false),
    /** Neither TCP nor UDP. */
    UNKNOWN_PROTOCOL(false),
    /** The TCP/UDP header does not fit in the datagram, or a TCP data offset under 5. */
    L4_TRUNCATED(false),
    /** TCP or UDP checksum wrong (verified only when the kernel did not already, see {@code Ipv4Frame}). */
    BAD_L4_CHECKSUM(false),
    /** IP options present: counted, and forwarded with the options untouched (the kernel's IPVS does the same). */
    IP_OPTIONS(true);

    private final boolean passes;

    BadFrame(boolean passes) {
        this.passes = passes;
    }

    /** True when the frame is counted but still forwarded. */
    public boolean passes() {
        return passes;
    }
}
