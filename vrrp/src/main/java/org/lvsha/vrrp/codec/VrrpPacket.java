package org.lvsha.vrrp.codec;

import java.net.InetAddress;
import java.util.Arrays;
import java.util.List;

/**
 * One decoded VRRP ADVERTISEMENT.
 *
 * @param version      2 (RFC 3768) or 3 (RFC 5798)
 * @param vrid         1–255
 * @param priority     0–255 (0: the master is stopping, 255: address owner)
 * @param interval     v3: Max Adver Int in centiseconds (12 bits); v2: Adver Int in seconds
 * @param authType     v2 only (0 none, 1 simple password); 0 for v3
 * @param authData     v2 only: the 8 authentication bytes; empty for v3
 * @param addresses    the IPvX addresses carried
 * @param source       IP source of the datagram (the sender's primary address, used in the tie-break)
 */
public record VrrpPacket(int version, int vrid, int priority, int interval, int authType, byte[] authData,
                         List<InetAddress> addresses, InetAddress source) {

    public VrrpPacket {
        authData = authData == null ? new byte[0] : authData.clone();
        addresses = List.copyOf(addresses);
    }

    /** The advertised interval in centiseconds whatever the version. */
    public int intervalCentis() {
        return version == 3 ? interval : interval * 100;
    }

    @Override
    public byte[] authData() {
        return authData.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof VrrpPacket p && p.version == version && p.vrid == vrid && p.priority == priority
                && p.interval == interval && p.authType == authType && Arrays.equals(p.authData, authData)
                && p.addresses.equals(addresses) && p.source.equals(source);
    }

    @Override
    public int hashCode() {
        return ((vrid * 31 + priority) * 31 + interval) * 31 + addresses.hashCode();
    }

    @Override
    public String toString() {
        return "VRRPv" + version + " vrid " + vrid + " prio " + priority + " int " + interval
                + (version == 2 ? " auth " + authType : "") + " " + addresses + " from " + source.getHostAddress();
    }
}
