package org.lvsha.sync.kernel;

import java.util.Arrays;
import java.util.Objects;

/**
 * One connection entry of a kernel sync message (reference notes §1.3/§1.5), with the fields as
 * they are on the wire. Addresses are 4 bytes (IPv4) or 16 bytes (IPv6); ports are unsigned 16-bit
 * values; {@code timeoutSeconds} is the full state timeout (0 in v0, meaning "the protocol default").
 * {@code flags} are the wire flags: apply {@link SyncFlags#onBackup(int, int)} before using them.
 */
public record KernelSyncConnection(
        int protocol,
        int flags,
        int state,
        byte[] clientAddress,
        int clientPort,
        byte[] virtualAddress,
        int virtualPort,
        byte[] destinationAddress,
        int destinationPort,
        int fwmark,
        int timeoutSeconds,
        SeqData seq,
        byte[] peData,
        String peName) {

    public KernelSyncConnection {
        Objects.requireNonNull(clientAddress, "clientAddress");
        Objects.requireNonNull(virtualAddress, "virtualAddress");
        Objects.requireNonNull(destinationAddress, "destinationAddress");
        int len = clientAddress.length;
        if ((len != 4 && len != 16) || virtualAddress.length != len || destinationAddress.length != len) {
            throw new IllegalArgumentException("addresses must all be 4 (IPv4) or all 16 (IPv6) bytes");
        }
        if (protocol < 0 || protocol > 255 || state < 0 || state > 0xffff) {
            throw new IllegalArgumentException("protocol or state out of range");
        }
        checkPort(clientPort);
        checkPort(virtualPort);
        checkPort(destinationPort);
        if (peData != null && peData.length > KernelSyncCodec.PE_DATA_MAX) {
            throw new IllegalArgumentException("pe data longer than " + KernelSyncCodec.PE_DATA_MAX + " bytes");
        }
        if (peName != null && (peName.isEmpty() || peName.length() > KernelSyncCodec.PE_NAME_MAX)) {
            throw new IllegalArgumentException("pe name must be 1.." + KernelSyncCodec.PE_NAME_MAX + " characters");
        }
    }

    /** An IPv4 connection without options. */
    public static KernelSyncConnection ipv4(int protocol, int flags, int state, byte[] caddr, int cport, byte[] vaddr,
                                            int vport, byte[] daddr, int dport, int fwmark, int timeoutSeconds) {
        return new KernelSyncConnection(protocol, flags, state, caddr, cport, vaddr, vport, daddr, dport, fwmark,
                timeoutSeconds, null, null, null);
    }

    public boolean isIpv6() {
        return clientAddress.length == 16;
    }

    public boolean isTemplate() {
        return (flags & SyncFlags.TEMPLATE) != 0;
    }

    private static void checkPort(int p) {
        if (p < 0 || p > 0xffff) {
            throw new IllegalArgumentException("port out of range: " + p);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KernelSyncConnection c
                && protocol == c.protocol && flags == c.flags && state == c.state
                && clientPort == c.clientPort && virtualPort == c.virtualPort && destinationPort == c.destinationPort
                && fwmark == c.fwmark && timeoutSeconds == c.timeoutSeconds
                && Arrays.equals(clientAddress, c.clientAddress) && Arrays.equals(virtualAddress, c.virtualAddress)
                && Arrays.equals(destinationAddress, c.destinationAddress) && Objects.equals(seq, c.seq)
                && Arrays.equals(peData, c.peData) && Objects.equals(peName, c.peName);
    }

    @Override
    public int hashCode() {
        return Objects.hash(protocol, flags, state, clientPort, virtualPort, destinationPort,
                Arrays.hashCode(clientAddress), Arrays.hashCode(virtualAddress));
    }

    @Override
    public String toString() {
        return "KernelSyncConnection[proto=" + protocol + " flags=0x" + Integer.toHexString(flags) + " state=" + state
                + " c=" + addr(clientAddress) + ":" + clientPort + " v=" + addr(virtualAddress) + ":" + virtualPort
                + " d=" + addr(destinationAddress) + ":" + destinationPort + " fwmark=" + fwmark
                + " timeout=" + timeoutSeconds + (seq != null ? " seq=" + seq : "")
                + (peName != null ? " pe=" + peName : "") + "]";
    }

    private static String addr(byte[] a) {
        try {
            return java.net.InetAddress.getByAddress(a).getHostAddress();
        } catch (java.net.UnknownHostException e) {
            return Arrays.toString(a);
        }
    }
}
