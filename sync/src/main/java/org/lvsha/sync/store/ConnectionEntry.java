package org.lvsha.sync.store;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * A mutable cursor over one replicated connection: filled by the caller before an upsert, or by the
 * store when reading. Reused on hot paths so that applying an event allocates nothing.
 *
 * <p>Addresses are kept as two longs each: for IPv4 the address is the low 32 bits of {@code ...Lo}
 * and {@code ...Hi} is 0; for IPv6 {@code Hi} holds bytes 0–7 and {@code Lo} bytes 8–15.
 * The key is (family, protocol, caddr, cport, vaddr, vport), as the kernel looks a connection up.
 */
public final class ConnectionEntry {
    public boolean ipv6;
    public int protocol;
    public long caddrHi;
    public long caddrLo;
    public long vaddrHi;
    public long vaddrLo;
    public long daddrHi;
    public long daddrLo;
    public int cport;
    public int vport;
    public int dport;
    /** IPVS connection flags (as the kernel's {@code cp->flags}). */
    public int flags;
    /** Protocol state number as in the kernel (reference notes §1.7). */
    public int state;
    public int fwmark;
    /** Full timeout of the current state, in seconds. */
    public int timeoutSeconds;
    /** Seconds until the entry expires (≤ timeout); what a store returns when reading. */
    public int remainingSeconds;

    public ConnectionEntry clear() {
        ipv6 = false;
        protocol = 0;
        caddrHi = caddrLo = vaddrHi = vaddrLo = daddrHi = daddrLo = 0;
        cport = vport = dport = flags = state = fwmark = timeoutSeconds = remainingSeconds = 0;
        return this;
    }

    /** Sets an IPv4 connection; addresses as 32-bit values (e.g. 0xc0000264 for 192.0.2.100). */
    public ConnectionEntry ipv4(int protocol, int caddr, int cport, int vaddr, int vport, int daddr, int dport) {
        this.ipv6 = false;
        this.protocol = protocol;
        this.caddrHi = 0;
        this.caddrLo = caddr & 0xffffffffL;
        this.cport = cport;
        this.vaddrHi = 0;
        this.vaddrLo = vaddr & 0xffffffffL;
        this.vport = vport;
        this.daddrHi = 0;
        this.daddrLo = daddr & 0xffffffffL;
        this.dport = dport;
        return this;
    }

    /** Sets the addresses from 4- or 16-byte arrays (all of the same family). */
    public ConnectionEntry addresses(byte[] caddr, byte[] vaddr, byte[] daddr) {
        ipv6 = caddr.length == 16;
        long[] t = new long[2];
        split(caddr, t);
        caddrHi = t[0];
        caddrLo = t[1];
        split(vaddr, t);
        vaddrHi = t[0];
        vaddrLo = t[1];
        split(daddr, t);
        daddrHi = t[0];
        daddrLo = t[1];
        return this;
    }

    public ConnectionEntry state(int state, int flags, int fwmark, int timeoutSeconds) {
        this.state = state;
        this.flags = flags;
        this.fwmark = fwmark;
        this.timeoutSeconds = timeoutSeconds;
        this.remainingSeconds = timeoutSeconds;
        return this;
    }

    public ConnectionEntry copyFrom(ConnectionEntry o) {
        ipv6 = o.ipv6;
        protocol = o.protocol;
        caddrHi = o.caddrHi;
        caddrLo = o.caddrLo;
        vaddrHi = o.vaddrHi;
        vaddrLo = o.vaddrLo;
        daddrHi = o.daddrHi;
        daddrLo = o.daddrLo;
        cport = o.cport;
        vport = o.vport;
        dport = o.dport;
        flags = o.flags;
        state = o.state;
        fwmark = o.fwmark;
        timeoutSeconds = o.timeoutSeconds;
        remainingSeconds = o.remainingSeconds;
        return this;
    }

    public byte[] clientAddress() {
        return join(caddrHi, caddrLo);
    }

    public byte[] virtualAddress() {
        return join(vaddrHi, vaddrLo);
    }

    public byte[] destinationAddress() {
        return join(daddrHi, daddrLo);
    }

    private byte[] join(long hi, long lo) {
        if (!ipv6) {
            return new byte[] {(byte) (lo >>> 24), (byte) (lo >>> 16), (byte) (lo >>> 8), (byte) lo};
        }
        byte[] a = new byte[16];
        for (int i = 0; i < 8; i++) {
            a[i] = (byte) (hi >>> (56 - 8 * i));
            a[8 + i] = (byte) (lo >>> (56 - 8 * i));
        }
        return a;
    }

    private static void split(byte[] a, long[] out) {
        if (a.length == 4) {
            out[0] = 0;
            out[1] = ((a[0] & 0xffL) << 24) | ((a[1] & 0xffL) << 16) | ((a[2] & 0xffL) << 8) | (a[3] & 0xffL);
        } else if (a.length == 16) {
            long hi = 0;
            long lo = 0;
            for (int i = 0; i < 8; i++) {
                hi = (hi << 8) | (a[i] & 0xffL);
                lo = (lo << 8) | (a[8 + i] & 0xffL);
            }
            out[0] = hi;
            out[1] = lo;
        } else {
            throw new IllegalArgumentException("address must be 4 or 16 bytes");
        }
    }

    /** Whether both describe the same connection key. */
    public boolean sameKey(ConnectionEntry o) {
        return ipv6 == o.ipv6 && protocol == o.protocol && caddrHi == o.caddrHi && caddrLo == o.caddrLo
                && cport == o.cport && vaddrHi == o.vaddrHi && vaddrLo == o.vaddrLo && vport == o.vport;
    }

    @Override
    public String toString() {
        return "ConnectionEntry[" + protocolName() + " " + addr(clientAddress()) + ":" + cport + " -> "
                + addr(virtualAddress()) + ":" + vport + " -> " + addr(destinationAddress()) + ":" + dport
                + " state=" + state + " flags=0x" + Integer.toHexString(flags) + " timeout=" + timeoutSeconds
                + " remaining=" + remainingSeconds + "]";
    }

    private String protocolName() {
        return switch (protocol) {
            case 6 -> "TCP";
            case 17 -> "UDP";
            case 132 -> "SCTP";
            default -> "proto" + protocol;
        };
    }

    private static String addr(byte[] a) {
        try {
            return InetAddress.getByAddress(a).getHostAddress();
        } catch (UnknownHostException e) {
            return "?";
        }
    }
}
