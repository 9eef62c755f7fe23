package org.lvsha.core.ipvs;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;

/** AF_INET / AF_INET6 with the numbers the kernel uses in {@code IPVS_SVC_ATTR_AF} (§2.3). */
public enum AddressFamily {
    INET(2, 4),
    INET6(10, 16);

    private final int number;
    private final int addressLength;

    AddressFamily(int number, int addressLength) {
        this.number = number;
        this.addressLength = addressLength;
    }

    public int number() {
        return number;
    }

    public int addressLength() {
        return addressLength;
    }

    /** The host netmask for this family in the kernel's encoding (§2.3 NETMASK): all-ones IPv4 mask, or prefix 128. */
    public int hostNetmask() {
        return this == INET ? 0xFFFFFFFF : 128;
    }

    public static AddressFamily of(InetAddress address) {
        if (address instanceof Inet4Address) {
            return INET;
        }
        if (address instanceof Inet6Address) {
            return INET6;
        }
        throw new IllegalArgumentException("not an IP address: " + address);
    }

    public static AddressFamily ofNumber(int number) {
        for (AddressFamily f : values()) {
            if (f.number == number) {
                return f;
            }
        }
        throw new IllegalArgumentException("unsupported address family " + number);
    }
}
