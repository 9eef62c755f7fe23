package org.lvsha.vrrp.codec;

/**
 * Why a received VRRP datagram was dropped (or, for {@link #ADDRESS_LIST_MISMATCH}, only logged).
 * Order follows the receive checks of RFC 5798 §7.1 / RFC 3768 §7.1; each reason has its own counter.
 */
public enum RejectReason {
    /** IPv4 TTL or IPv6 hop limit is not 255 (RFC 5798 §7.1, RFC 3768 §7.1): the packet was routed. */
    BAD_TTL,
    /** Shorter than the fixed VRRP header. */
    TRUNCATED,
    /** Longer than any VRRP message we accept ({@link VrrpCodec#MAX_MESSAGE_LENGTH}). */
    OVERSIZED,
    /** Version field is neither 2 nor 3, is 2 over IPv6 (RFC 3768 is IPv4-only), or differs from the instance's. */
    BAD_VERSION,
    /** Type field is not 1 (ADVERTISEMENT), RFC 5798 §5.2.2. */
    BAD_TYPE,
    /** Datagram length disagrees with Count IPvX Addrs (plus, for v2, the 8 authentication bytes). */
    LENGTH_MISMATCH,
    /** Count IPvX Addrs is 0; RFC 5798 §5.2.5 says the minimum is 1. */
    NO_ADDRESSES,
    /** Checksum does not verify (v3: with pseudo-header, RFC 5798 §5.2.8; v2: message only, RFC 3768 §5.3.8). */
    BAD_CHECKSUM,
    /** v3 Max Adver Int of 0 centiseconds, or v2 Adver Int of 0 seconds: no sane timer can be derived. */
    ZERO_INTERVAL,
    /** v2 Auth Type other than 0 (none) or 1 (simple text password, RFC 2338 §5.3.6); type 2 (IP AH) is not supported. */
    UNKNOWN_AUTH_TYPE,
    /** No instance with this VRID on this interface and address family (RFC 5798 §7.1). */
    WRONG_VRID,
    /** v2 Auth Type or password differs from the instance's (RFC 3768 §7.1, RFC 2338 §7.1). */
    AUTH_MISMATCH,
    /** v2 Adver Int differs from the instance's (RFC 3768 §7.1 MUST discard). */
    INTERVAL_MISMATCH,
    /** Address list differs from the configured one: logged and counted only, the advert is still processed. */
    ADDRESS_LIST_MISMATCH,
    /** The local instance is the address owner (priority 255): RFC 5798 §7.1 has it discard all adverts. */
    OWNER_DISCARD,
    /** The advert carries one of this node's own source addresses (looped back multicast). */
    OWN_ADVERT,
    /** Unicast peers are configured and the source is not one of them. */
    UNKNOWN_PEER
}
