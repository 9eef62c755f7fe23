package org.lvsha.sync.kernel;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Byte-exact encoder and decoder of the kernel IPVS connection-sync protocol, versions 0 and 1
 * (net/netfilter/ipvs/ip_vs_sync.c; reference notes §1.2–§1.7). Bytes in, messages out and back;
 * no sockets here.
 *
 * <p>The decoder follows the kernel's receive rules, with one deliberate difference: where the
 * kernel applies the entries before a structural error and drops "the rest of the message", this
 * decoder rejects the whole datagram, so a malformed datagram never causes a partial apply. Errors
 * the kernel confines to one entry (unknown protocol, invalid state, unknown mandatory option,
 * PE data without a PE name) skip that entry here too. Nothing ever throws on input bytes.
 */
public final class KernelSyncCodec {
    public static final int VERSION_0 = 0;
    public static final int VERSION_1 = 1;
    /** Default datagram limit of a kernel master for an IPv4 group: MTU 1500 − IP 20 − UDP 8. */
    public static final int DEFAULT_MAX_DATAGRAM = 1472;
    /** nr_conns is a u8; the kernel sender does not check the overflow, we cap. */
    public static final int MAX_ENTRIES = 255;
    public static final int PE_DATA_MAX = 255;
    public static final int PE_NAME_MAX = 16;

    static final int V0_HEADER = 4;
    static final int V1_HEADER = 8;
    static final int V0_SIMPLE_ENTRY = 24;
    static final int V0_FULL_ENTRY = 48;
    static final int V1_V4_ENTRY = 36;
    static final int V1_V6_ENTRY = 72;
    static final int SEQ_DATA_LEN = 24;
    static final int STYPE_F_INET6 = 1;
    static final int SVER_SHIFT = 12;
    static final int SVER_MASK = 0x0fff;
    static final int OPT_SEQ_DATA = 1;
    static final int OPT_PE_DATA = 2;
    static final int OPT_PE_NAME = 3;
    static final int OPT_F_PARAM = 0x40;

    private KernelSyncCodec() {
    }

    // ---------------------------------------------------------------- encoding

    /** The length of an entry as a v1 sender computes it (without trailing alignment padding). */
    public static int v1EntryLength(KernelSyncConnection c) {
        int len = c.isIpv6() ? V1_V6_ENTRY : V1_V4_ENTRY;
        if ((c.flags() & SyncFlags.SEQ_MASK) != 0 && c.seq() != null) {
            len += SEQ_DATA_LEN + 2;
        }
        if (c.peData() != null && c.peData().length > 0 && c.peName() != null) {
            len += c.peData().length + 2 + c.peName().getBytes(StandardCharsets.US_ASCII).length + 2;
        }
        return len;
    }

    /**
     * Encodes connections as version-1 datagrams of at most {@code maxDatagram} bytes and
     * {@value #MAX_ENTRIES} entries each; an entry bigger than the limit goes out alone, as the kernel
     * does. HASHED is cleared; entries are aligned to 4 bytes with zero padding between them only.
     */
    public static List<byte[]> encodeV1(int syncId, List<KernelSyncConnection> connections, int maxDatagram) {
        checkSyncId(syncId);
        if (maxDatagram < V1_HEADER + V1_V4_ENTRY || maxDatagram > 0xffff) {
            throw new IllegalArgumentException("maxDatagram out of range: " + maxDatagram);
        }
        List<byte[]> out = new ArrayList<>();
        int i = 0;
        while (i < connections.size()) {
            int size = V1_HEADER;
            int n = 0;
            int j = i;
            while (j < connections.size() && n < MAX_ENTRIES) {
                int aligned = align4(size);
                int end = aligned + v1EntryLength(connections.get(j));
                if (n > 0 && end > maxDatagram) {
                    break;
                }
                size = end;
                n++;
                j++;
            }
            if (size > 0xffff) {
                throw new IllegalArgumentException("entry too large for one datagram");
            }
            ByteBuffer b = ByteBuffer.allocate(size).order(ByteOrder.BIG_ENDIAN);
            b.put((byte) 0).put((byte) syncId).putShort((short) size).put((byte) n).put((byte) VERSION_1).putShort((short) 0);
            for (int k = i; k < j; k++) {
                b.position(align4(b.position()));
                putV1Entry(b, connections.get(k));
            }
            out.add(b.array());
            i = j;
        }
        return out;
    }

    private static void putV1Entry(ByteBuffer b, KernelSyncConnection c) {
        int len = v1EntryLength(c);
        if (len > SVER_MASK) {
            throw new IllegalArgumentException("entry longer than " + SVER_MASK + " bytes");
        }
        b.put((byte) (c.isIpv6() ? STYPE_F_INET6 : 0));
        b.put((byte) c.protocol());
        b.putShort((short) len); // entry version 0 in the high nibble
        b.putInt(c.flags() & ~SyncFlags.HASHED);
        b.putShort((short) c.state());
        b.putShort((short) c.clientPort());
        b.putShort((short) c.virtualPort());
        b.putShort((short) c.destinationPort());
        b.putInt(c.fwmark());
        b.putInt(c.timeoutSeconds());
        b.put(c.clientAddress()).put(c.virtualAddress()).put(c.destinationAddress());
        if ((c.flags() & SyncFlags.SEQ_MASK) != 0 && c.seq() != null) {
            b.put((byte) OPT_SEQ_DATA).put((byte) SEQ_DATA_LEN);
            putSeq(b, c.seq());
        }
        if (c.peData() != null && c.peData().length > 0 && c.peName() != null) {
            byte[] name = c.peName().getBytes(StandardCharsets.US_ASCII);
            b.put((byte) OPT_PE_DATA).put((byte) c.peData().length).put(c.peData());
            b.put((byte) OPT_PE_NAME).put((byte) name.length).put(name);
        }
    }

    /**
     * Encodes IPv4 connections as legacy version-0 datagrams. v0 cannot carry IPv6, fwmark, timeout
     * or PE data; sequence data is written in little-endian, the host order of the x86/arm64 kernels
     * that send it (a portability trap of v0, reference notes §1.5).
     */
    public static List<byte[]> encodeV0(int syncId, List<KernelSyncConnection> connections, int maxDatagram) {
        checkSyncId(syncId);
        if (maxDatagram < V0_HEADER + V0_FULL_ENTRY || maxDatagram > 0xffff) {
            throw new IllegalArgumentException("maxDatagram out of range: " + maxDatagram);
        }
        List<byte[]> out = new ArrayList<>();
        int i = 0;
        while (i < connections.size()) {
            int size = V0_HEADER;
            int n = 0;
            int j = i;
            while (j < connections.size() && n < MAX_ENTRIES) {
                KernelSyncConnection c = connections.get(j);
                if (c.isIpv6()) {
                    throw new IllegalArgumentException("sync version 0 cannot carry IPv6: " + c);
                }
                int len = v0EntryLength(c);
                if (size + len > maxDatagram) {
                    break;
                }
                size += len;
                n++;
                j++;
            }
            ByteBuffer b = ByteBuffer.allocate(size).order(ByteOrder.BIG_ENDIAN);
            b.put((byte) n).put((byte) syncId).putShort((short) size);
            for (int k = i; k < j; k++) {
                KernelSyncConnection c = connections.get(k);
                b.put((byte) 0).put((byte) c.protocol());
                b.putShort((short) c.clientPort()).putShort((short) c.virtualPort()).putShort((short) c.destinationPort());
                b.put(c.clientAddress()).put(c.virtualAddress()).put(c.destinationAddress());
                b.putShort((short) (c.flags() & ~SyncFlags.HASHED));
                b.putShort((short) c.state());
                if (v0EntryLength(c) == V0_FULL_ENTRY) {
                    b.order(ByteOrder.LITTLE_ENDIAN);
                    putSeq(b, c.seq() != null ? c.seq() : new SeqData(0, 0, 0, 0, 0, 0));
                    b.order(ByteOrder.BIG_ENDIAN);
                }
            }
            out.add(b.array());
            i = j;
        }
        return out;
    }

    private static int v0EntryLength(KernelSyncConnection c) {
        return (c.flags() & SyncFlags.SEQ_MASK) != 0 ? V0_FULL_ENTRY : V0_SIMPLE_ENTRY;
    }

    private static void putSeq(ByteBuffer b, SeqData s) {
        b.putInt(s.inInitSeq()).putInt(s.inDelta()).putInt(s.inPreviousDelta());
        b.putInt(s.outInitSeq()).putInt(s.outDelta()).putInt(s.outPreviousDelta());
    }

    private static void checkSyncId(int syncId) {
        if (syncId < 0 || syncId > 255) {
            throw new IllegalArgumentException("sync id must be 0..255: " + syncId);
        }
    }

    static int align4(int n) {
        return (n + 3) & ~3;
    }

    // ---------------------------------------------------------------- decoding

    /**
     * Decodes one datagram of {@code len} bytes at {@code buf[off]}. {@code acceptSyncId} 0 accepts
     * every sync id, as a kernel backup with syncid 0 does. Never throws on malformed input.
     */
    public static KernelSyncDecodeResult decode(byte[] buf, int off, int len, int acceptSyncId) {
        if (buf == null || off < 0 || len < 0 || off > buf.length - len) {
            return KernelSyncDecodeResult.rejected(KernelSyncRejection.TRUNCATED_HEADER, "no datagram");
        }
        try {
            return decodeChecked(ByteBuffer.wrap(buf, off, len).slice().order(ByteOrder.BIG_ENDIAN), len, acceptSyncId);
        } catch (RuntimeException e) {
            // Defence in depth: every bound is checked above, so this is a bug, not an input error.
            return KernelSyncDecodeResult.rejected(KernelSyncRejection.BAD_HEADER, "decoder error: " + e);
        }
    }

    public static KernelSyncDecodeResult decode(byte[] datagram, int acceptSyncId) {
        return decode(datagram, 0, datagram == null ? 0 : datagram.length, acceptSyncId);
    }

    private static KernelSyncDecodeResult decodeChecked(ByteBuffer b, int len, int acceptSyncId) {
        if (len < V0_HEADER) {
            return KernelSyncDecodeResult.rejected(KernelSyncRejection.TRUNCATED_HEADER, len + " bytes");
        }
        int first = u8(b, 0);
        int syncId = u8(b, 1);
        int size = u16(b, 2);
        if (size != len) {
            return KernelSyncDecodeResult.rejected(KernelSyncRejection.SIZE_MISMATCH,
                    "header size " + size + " but datagram has " + len + " bytes");
        }
        if (acceptSyncId != 0 && syncId != acceptSyncId) {
            return KernelSyncDecodeResult.rejected(KernelSyncRejection.SYNC_ID_MISMATCH,
                    "sync id " + syncId + ", expected " + acceptSyncId);
        }
        if (first != 0) {
            return decodeV0(b, len, syncId, first);
        }
        if (len < V1_HEADER) {
            return KernelSyncDecodeResult.rejected(KernelSyncRejection.TRUNCATED_HEADER, len + " bytes, v1 header is 8");
        }
        int version = u8(b, 5);
        if (version != VERSION_1) {
            return KernelSyncDecodeResult.rejected(KernelSyncRejection.UNKNOWN_VERSION, "version " + version);
        }
        if (u16(b, 6) != 0) {
            return KernelSyncDecodeResult.rejected(KernelSyncRejection.BAD_HEADER, "spare field not zero");
        }
        int count = u8(b, 4);
        if (count == 0) {
            return KernelSyncDecodeResult.rejected(KernelSyncRejection.NO_ENTRIES, "nr_conns 0");
        }
        if (V1_HEADER + (long) (count - 1) * align4(V1_V4_ENTRY) + V1_V4_ENTRY > len) {
            return KernelSyncDecodeResult.rejected(KernelSyncRejection.TOO_MANY_ENTRIES,
                    count + " entries cannot fit in " + len + " bytes");
        }
        List<KernelSyncConnection> conns = new ArrayList<>(count);
        List<KernelSyncRejection> skipped = new ArrayList<>();
        int p = V1_HEADER;
        int end = V1_HEADER;
        for (int i = 0; i < count; i++) {
            p = align4(p);
            if (p + V1_V4_ENTRY > len) {
                return KernelSyncDecodeResult.rejected(KernelSyncRejection.ENTRY_TRUNCATED, "entry " + i + " at " + p);
            }
            int type = u8(b, p);
            if ((type & ~STYPE_F_INET6) != 0) {
                return KernelSyncDecodeResult.rejected(KernelSyncRejection.BAD_ENTRY_TYPE, "entry " + i + " type " + type);
            }
            boolean v6 = (type & STYPE_F_INET6) != 0;
            int verSize = u16(b, p + 2);
            if ((verSize >>> SVER_SHIFT) != 0) {
                return KernelSyncDecodeResult.rejected(KernelSyncRejection.BAD_ENTRY_VERSION,
                        "entry " + i + " version " + (verSize >>> SVER_SHIFT));
            }
            int entryLen = verSize & SVER_MASK;
            int fixed = v6 ? V1_V6_ENTRY : V1_V4_ENTRY;
            if (entryLen < fixed) {
                return KernelSyncDecodeResult.rejected(KernelSyncRejection.ENTRY_TOO_SHORT,
                        "entry " + i + " length " + entryLen + " < " + fixed);
            }
            if (p + entryLen > len) {
                return KernelSyncDecodeResult.rejected(KernelSyncRejection.ENTRY_OVERRUN,
                        "entry " + i + " ends at " + (p + entryLen) + " beyond " + len);
            }
            EntryOutcome e = decodeV1Entry(b, p, entryLen, v6);
            if (e.rejection != null && e.rejection.wholeDatagram()) {
                return KernelSyncDecodeResult.rejected(e.rejection, "entry " + i + ": " + e.detail);
            }
            if (e.rejection != null) {
                skipped.add(e.rejection);
            } else {
                conns.add(e.connection);
            }
            end = p + entryLen;
            p = end;
        }
        if (len - end > 3) {
            return KernelSyncDecodeResult.rejected(KernelSyncRejection.TRAILING_BYTES,
                    (len - end) + " bytes after entry " + count);
        }
        return KernelSyncDecodeResult.accepted(new KernelSyncMessage(VERSION_1, syncId, conns), skipped);
    }

    private record EntryOutcome(KernelSyncConnection connection, KernelSyncRejection rejection, String detail) {
    }

    private static EntryOutcome decodeV1Entry(ByteBuffer b, int p, int entryLen, boolean v6) {
        int protocol = u8(b, p + 1);
        int flags = b.getInt(p + 4);
        int state = u16(b, p + 8);
        int cport = u16(b, p + 10);
        int vport = u16(b, p + 12);
        int dport = u16(b, p + 14);
        int fwmark = b.getInt(p + 16);
        int timeout = b.getInt(p + 20);
        int alen = v6 ? 16 : 4;
        byte[] caddr = bytes(b, p + 24, alen);
        byte[] vaddr = bytes(b, p + 24 + alen, alen);
        byte[] daddr = bytes(b, p + 24 + 2 * alen, alen);
        SeqData seq = null;
        byte[] peData = null;
        String peName = null;
        KernelSyncRejection entryProblem = null;
        String entryDetail = null;
        int q = p + (v6 ? V1_V6_ENTRY : V1_V4_ENTRY);
        int end = p + entryLen;
        while (q < end) {
            if (end - q < 2) {
                return new EntryOutcome(null, KernelSyncRejection.BAD_OPTION_LENGTH, "option header cut at " + q);
            }
            int rawType = u8(b, q);
            int optLen = u8(b, q + 1);
            if (optLen == 0 || q + 2 + optLen > end) {
                return new EntryOutcome(null, KernelSyncRejection.BAD_OPTION_LENGTH,
                        "option " + rawType + " length " + optLen + " does not fit");
            }
            int type = rawType & ~OPT_F_PARAM;
            int data = q + 2;
            switch (type) {
                case OPT_SEQ_DATA -> {
                    if (optLen != SEQ_DATA_LEN || seq != null) {
                        return new EntryOutcome(null, KernelSyncRejection.BAD_SEQ_OPTION,
                                seq != null ? "duplicate seq option" : "seq option length " + optLen);
                    }
                    seq = new SeqData(b.getInt(data), b.getInt(data + 4), b.getInt(data + 8),
                            b.getInt(data + 12), b.getInt(data + 16), b.getInt(data + 20));
                }
                case OPT_PE_DATA -> {
                    if (peData != null) {
                        entryProblem = KernelSyncRejection.BAD_PE_OPTION;
                        entryDetail = "duplicate pe data";
                    }
                    peData = bytes(b, data, optLen);
                }
                case OPT_PE_NAME -> {
                    if (peName != null || optLen > PE_NAME_MAX) {
                        entryProblem = KernelSyncRejection.BAD_PE_OPTION;
                        entryDetail = "pe name length " + optLen;
                    } else {
                        peName = new String(bytes(b, data, optLen), StandardCharsets.US_ASCII);
                    }
                }
                default -> {
                    if ((rawType & OPT_F_PARAM) == 0 && entryProblem == null) {
                        entryProblem = KernelSyncRejection.UNKNOWN_MANDATORY_OPTION;
                        entryDetail = "option " + rawType;
                    }
                }
            }
            q = data + optLen;
        }
        if (entryProblem != null) {
            return new EntryOutcome(null, entryProblem, entryDetail);
        }
        if (peData != null && peName == null) {
            return new EntryOutcome(null, KernelSyncRejection.BAD_PE_OPTION, "pe data without pe name");
        }
        if (peName != null && peData == null) {
            peName = null; // the kernel only looks at the name together with data
        }
        boolean template = (flags & SyncFlags.TEMPLATE) != 0;
        if (!template && ConnectionStates.stateCount(protocol) < 0) {
            return new EntryOutcome(null, KernelSyncRejection.UNSUPPORTED_PROTOCOL, "protocol " + protocol);
        }
        if (!ConnectionStates.acceptable(protocol, state, template)) {
            return new EntryOutcome(null, KernelSyncRejection.INVALID_STATE, "state " + state + " for protocol " + protocol);
        }
        return new EntryOutcome(new KernelSyncConnection(protocol, flags, state, caddr, cport, vaddr, vport, daddr, dport,
                fwmark, timeout, seq, peData, peName), null, null);
    }

    private static KernelSyncDecodeResult decodeV0(ByteBuffer b, int len, int syncId, int count) {
        List<KernelSyncConnection> conns = new ArrayList<>(count);
        List<KernelSyncRejection> skipped = new ArrayList<>();
        if (V0_HEADER + (long) count * V0_SIMPLE_ENTRY > len) {
            return KernelSyncDecodeResult.rejected(KernelSyncRejection.TOO_MANY_ENTRIES,
                    count + " v0 entries cannot fit in " + len + " bytes");
        }
        int p = V0_HEADER;
        for (int i = 0; i < count; i++) {
            if (p + V0_SIMPLE_ENTRY > len) {
                return KernelSyncDecodeResult.rejected(KernelSyncRejection.ENTRY_TRUNCATED, "v0 entry " + i + " at " + p);
            }
            int protocol = u8(b, p + 1);
            int cport = u16(b, p + 2);
            int vport = u16(b, p + 4);
            int dport = u16(b, p + 6);
            byte[] caddr = bytes(b, p + 8, 4);
            byte[] vaddr = bytes(b, p + 12, 4);
            byte[] daddr = bytes(b, p + 16, 4);
            int flags = u16(b, p + 20);
            int state = u16(b, p + 22);
            SeqData seq = null;
            int entryLen = V0_SIMPLE_ENTRY;
            if ((flags & SyncFlags.SEQ_MASK) != 0) {
                entryLen = V0_FULL_ENTRY;
                if (p + V0_FULL_ENTRY > len) {
                    return KernelSyncDecodeResult.rejected(KernelSyncRejection.ENTRY_TRUNCATED, "v0 entry " + i + " seq data");
                }
                ByteBuffer le = b.duplicate().order(ByteOrder.LITTLE_ENDIAN);
                int s = p + V0_SIMPLE_ENTRY;
                seq = new SeqData(le.getInt(s), le.getInt(s + 4), le.getInt(s + 8),
                        le.getInt(s + 12), le.getInt(s + 16), le.getInt(s + 20));
            }
            boolean template = (flags & SyncFlags.TEMPLATE) != 0;
            if (!template && ConnectionStates.stateCount(protocol) < 0) {
                skipped.add(KernelSyncRejection.UNSUPPORTED_PROTOCOL);
            } else if (!ConnectionStates.acceptable(protocol, state, template)) {
                skipped.add(KernelSyncRejection.INVALID_STATE);
            } else {
                conns.add(new KernelSyncConnection(protocol, flags, state, caddr, cport, vaddr, vport, daddr, dport,
                        0, 0, seq, null, null));
            }
            p += entryLen;
        }
        if (p != len) {
            return KernelSyncDecodeResult.rejected(KernelSyncRejection.TRAILING_BYTES, (len - p) + " bytes after v0 entries");
        }
        return KernelSyncDecodeResult.accepted(new KernelSyncMessage(VERSION_0, syncId, conns), skipped);
    }

    private static int u8(ByteBuffer b, int i) {
        return b.get(i) & 0xff;
    }

    private static int u16(ByteBuffer b, int i) {
        return b.getShort(i) & 0xffff;
    }

    private static byte[] bytes(ByteBuffer b, int i, int n) {
        byte[] a = new byte[n];
        b.get(i, a);
        return a;
    }
}
