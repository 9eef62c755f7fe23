package org.lvsha.vrrp.codec;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.lvsha.core.net.VirtualAddress;
import org.lvsha.vrrp.config.InstanceConfig;

/**
 * The receive checks of RFC 5798 §7.1 / RFC 3768 §7.1 that depend on the local instance (the codec
 * did the rest). {@link #check} gives the reason to drop, or null; {@link #addressListMatches} is the
 * MAY-check whose failure is only logged and counted.
 */
public final class AdvertCheck {
    private final InstanceConfig config;
    private final byte[] password = new byte[8];
    private final Set<InetAddress> addresses = new HashSet<>();

    public AdvertCheck(InstanceConfig config) {
        this.config = config;
        if (config.authPassword() != null) {
            byte[] p = config.authPassword().getBytes(StandardCharsets.UTF_8);
            System.arraycopy(p, 0, password, 0, p.length);
        }
        for (VirtualAddress a : config.addresses()) {
            addresses.add(a.address());
        }
    }

    public RejectReason check(VrrpPacket p) {
        if (p.version() != config.version()) {
            return RejectReason.BAD_VERSION;
        }
        if (p.source().equals(config.primaryAddress())) {
            return RejectReason.OWN_ADVERT;
        }
        if (!config.unicastPeers().isEmpty() && !config.unicastPeers().contains(p.source())) {
            return RejectReason.UNKNOWN_PEER;
        }
        if (p.version() == 2) {
            // RFC 3768 §7.1 (with RFC 2338 §5.3.6 for type 1): the auth type must match, then the password.
            int expectedType = config.authPassword() == null ? 0 : 1;
            if (p.authType() != expectedType || expectedType == 1 && !Arrays.equals(p.authData(), password)) {
                return RejectReason.AUTH_MISMATCH;
            }
            // RFC 3768 §7.1: "MUST verify that the Adver Interval in the packet is the same as the locally configured"
            if (p.interval() != config.wireInterval()) {
                return RejectReason.INTERVAL_MISMATCH;
            }
        }
        // RFC 5798 §7.1: discard if "the local router is ... the IPvX Address owner (Priority = 255)".
        if (config.owner()) {
            return RejectReason.OWNER_DISCARD;
        }
        return null;
    }

    /** RFC 5798 §7.1 MAY-check: same count and same set of addresses. A mismatch is logged, not dropped. */
    public boolean addressListMatches(VrrpPacket p) {
        List<InetAddress> got = p.addresses();
        return got.size() == addresses.size() && addresses.containsAll(got);
    }
}
