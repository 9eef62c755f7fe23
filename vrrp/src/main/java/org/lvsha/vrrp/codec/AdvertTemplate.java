package org.lvsha.vrrp.codec;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Everything in an instance's ADVERTISEMENT except the priority and the destination, precomputed once
 * so that {@link VrrpCodec#encode(AdvertTemplate, int, byte[], byte[], int)} allocates nothing.
 */
public final class AdvertTemplate {
    final int version;
    final int vrid;
    final int interval;
    final int authType;
    final byte[] authData = new byte[8];
    final byte[] addresses;
    final int count;
    final boolean ipv6;
    final byte[] source;

    /**
     * @param interval  v3: centiseconds (1–4095), v2: seconds (1–255)
     * @param password  v2 simple password (auth type 1), at most 8 bytes, or null for auth type 0; ignored for v3
     */
    public AdvertTemplate(int version, int vrid, int interval, String password, List<InetAddress> addresses, InetAddress source) {
        if (version != 2 && version != 3) {
            throw new IllegalArgumentException("version must be 2 or 3: " + version);
        }
        if (vrid < 1 || vrid > 255) {
            throw new IllegalArgumentException("vrid out of 1-255: " + vrid);
        }
        int maxInterval = version == 3 ? 0xfff : 0xff;
        if (interval < 1 || interval > maxInterval) {
            throw new IllegalArgumentException("interval out of 1-" + maxInterval + ": " + interval);
        }
        if (addresses.isEmpty() || addresses.size() > 255) {
            throw new IllegalArgumentException("1-255 addresses required, got " + addresses.size());
        }
        this.version = version;
        this.vrid = vrid;
        this.interval = interval;
        this.ipv6 = source instanceof Inet6Address;
        if (version == 2 && ipv6) {
            throw new IllegalArgumentException("VRRPv2 is IPv4 only (RFC 3768)");
        }
        int alen = ipv6 ? 16 : 4;
        this.count = addresses.size();
        this.addresses = new byte[count * alen];
        for (int i = 0; i < count; i++) {
            InetAddress a = addresses.get(i);
            if (ipv6 ? !(a instanceof Inet6Address) : !(a instanceof Inet4Address)) {
                throw new IllegalArgumentException("address " + a.getHostAddress() + " is not of the source's family");
            }
            System.arraycopy(a.getAddress(), 0, this.addresses, i * alen, alen);
        }
        this.source = source.getAddress();
        if (version == 2 && password != null) {
            byte[] p = password.getBytes(StandardCharsets.UTF_8);
            if (p.length > 8) {
                throw new IllegalArgumentException("VRRPv2 password longer than 8 bytes");
            }
            System.arraycopy(p, 0, authData, 0, p.length);
            this.authType = 1;
        } else {
            this.authType = 0;
        }
    }

    /** Length of the encoded message in bytes. */
    public int length() {
        return 8 + addresses.length + (version == 2 ? 8 : 0);
    }

    public int version() {
        return version;
    }

    public boolean ipv6() {
        return ipv6;
    }
}
