package org.lvsha.core.platform;

import java.util.HexFormat;

/** A 48-bit Ethernet address, printed and parsed as {@code 02:00:5e:01:00:02}. */
public record MacAddress(byte[] bytes) {
    public static final MacAddress BROADCAST = new MacAddress(new byte[] {-1, -1, -1, -1, -1, -1});
    public static final MacAddress ZERO = new MacAddress(new byte[6]);
    private static final HexFormat COLONS = HexFormat.ofDelimiter(":");

    public MacAddress {
        if (bytes.length != 6) {
            throw new IllegalArgumentException("a MAC address has 6 bytes, got " + bytes.length);
        }
        bytes = bytes.clone();
    }

    public static MacAddress parse(String text) {
        return new MacAddress(COLONS.parseHex(text.toLowerCase(java.util.Locale.ROOT)));
    }

    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MacAddress m && java.util.Arrays.equals(bytes, m.bytes);
    }

    @Override
    public int hashCode() {
        return java.util.Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return COLONS.formatHex(bytes);
    }
}
