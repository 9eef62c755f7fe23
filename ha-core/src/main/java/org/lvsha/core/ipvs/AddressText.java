package org.lvsha.core.ipvs;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Numeric address text exactly as glibc's {@code inet_ntop} writes it, which is what ipvsadm prints
 * with {@code -n}: IPv6 with the longest run (at least two) of zero groups compressed, the first run
 * winning a tie, lower-case hex, and the IPv4-mapped / IPv4-compatible forms written with a dotted tail.
 * {@link InetAddress#getHostAddress()} does not compress, so it cannot be used for byte-identical output.
 */
public final class AddressText {

    private AddressText() {
    }

    public static String of(InetAddress address) {
        if (!(address instanceof Inet6Address)) {
            return address.getHostAddress();
        }
        byte[] b = address.getAddress();
        int[] words = new int[8];
        for (int i = 0; i < 8; i++) {
            words[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
        }
        int bestBase = -1;
        int bestLen = 0;
        int curBase = -1;
        int curLen = 0;
        for (int i = 0; i < 8; i++) {
            if (words[i] == 0) {
                if (curBase == -1) {
                    curBase = i;
                    curLen = 1;
                } else {
                    curLen++;
                }
            } else if (curBase != -1) {
                if (bestBase == -1 || curLen > bestLen) {
                    bestBase = curBase;
                    bestLen = curLen;
                }
                curBase = -1;
            }
        }
        if (curBase != -1 && (bestBase == -1 || curLen > bestLen)) {
            bestBase = curBase;
            bestLen = curLen;
        }
        if (bestBase != -1 && bestLen < 2) {
            bestBase = -1;
        }
        StringBuilder sb = new StringBuilder(40);
        for (int i = 0; i < 8; i++) {
            if (bestBase != -1 && i >= bestBase && i < bestBase + bestLen) {
                if (i == bestBase) {
                    sb.append(':');
                }
                continue;
            }
            if (i != 0) {
                sb.append(':');
            }
            // glibc: an embedded IPv4 tail for ::a.b.c.d and ::ffff:a.b.c.d
            if (i == 6 && bestBase == 0 && (bestLen == 6 || (bestLen == 5 && words[5] == 0xffff))) {
                sb.append(b[12] & 0xff).append('.').append(b[13] & 0xff).append('.')
                        .append(b[14] & 0xff).append('.').append(b[15] & 0xff);
                return sb.toString();
            }
            sb.append(Integer.toHexString(words[i]));
        }
        if (bestBase != -1 && bestBase + bestLen == 8) {
            sb.append(':');
        }
        return sb.toString();
    }

    /** {@code a.b.c.d:port} or {@code [v6]:port}, as ipvsadm's numeric {@code addrport_to_anyname}. */
    public static String withPort(InetAddress address, int port) {
        if (address instanceof Inet6Address) {
            return "[" + of(address) + "]:" + port;
        }
        return of(address) + ":" + port;
    }

    /** Parses a numeric IPv4 or IPv6 literal without any name lookup. */
    public static InetAddress parse(String text) {
        String t = text;
        if (t.startsWith("[") && t.endsWith("]")) {
            t = t.substring(1, t.length() - 1);
        }
        if (t.isEmpty() || !(t.indexOf(':') >= 0 || t.matches("\\d{1,3}(\\.\\d{1,3}){3}"))) {
            throw new IllegalArgumentException("not a numeric IP address: " + text);
        }
        if (t.indexOf(':') < 0) {
            for (String part : t.split("\\.")) {
                if (Integer.parseInt(part) > 255) {
                    throw new IllegalArgumentException("not a numeric IP address: " + text);
                }
            }
        } else if (!t.matches("[0-9a-fA-F:.]+")) {
            throw new IllegalArgumentException("not a numeric IP address: " + text);
        }
        try {
            InetAddress a = InetAddress.getByName(t);
            if (t.indexOf(':') >= 0 && !(a instanceof Inet6Address)) {
                // Java turns ::ffff:a.b.c.d into an IPv4 address; an IPv6 literal must stay IPv6.
                byte[] mapped = new byte[16];
                mapped[10] = (byte) 0xff;
                mapped[11] = (byte) 0xff;
                System.arraycopy(a.getAddress(), 0, mapped, 12, 4);
                return ofBytes(mapped);
            }
            return a;
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not a numeric IP address: " + text, e);
        }
    }

    /** Builds an address from 4 or 16 raw bytes. */
    public static InetAddress ofBytes(byte[] raw) {
        try {
            if (raw.length == 16) {
                // InetAddress.getByAddress would turn an IPv4-mapped address into an Inet4Address
                return Inet6Address.getByAddress(null, raw, -1);
            }
            return InetAddress.getByAddress(raw);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("bad address length " + raw.length, e);
        }
    }
}
