package org.lvsha.sync.replication;

import java.nio.ByteBuffer;
import org.lvsha.sync.store.ConnectionEntry;

/**
 * The lvsha replication wire format (ours, not the kernel's), big-endian, fixed-size records.
 *
 * <pre>
 * header (16): magic u16 "LV" | format u8 = 1 | type u8 (1 batch, 2 state) | sync id u8 | 0 u8
 *              | record count u16 (0 in a state stream) | base time u64 (µs since the epoch;
 *              in a state stream: the number of entries that follow)
 * record (44 IPv4 / 80 IPv6):
 *   kind u8 (1 created, 2 changed, 3 expired) | family u8 (4|6) | protocol u8 | 0 u8 | state u16
 *   | cport u16 | vport u16 | dport u16 | flags u32 | fwmark u32 | timeout s u32 | remaining s u32
 *   | event time − base time, µs u32 | caddr | vaddr | daddr (4 or 16 bytes each)
 * batch trailer: HMAC-SHA256 truncated to 16 bytes over header and records (when a key is configured)
 * </pre>
 */
final class ConnectionEventCodec {
    static final int MAGIC = 0x4C56;
    static final int FORMAT = 1;
    static final int TYPE_BATCH = 1;
    static final int TYPE_STATE = 2;
    static final int HEADER = 16;
    static final int BATCH_MAC = 16;
    static final int V4_RECORD = 44;
    static final int V6_RECORD = 80;

    private ConnectionEventCodec() {
    }

    static int recordLength(boolean ipv6) {
        return ipv6 ? V6_RECORD : V4_RECORD;
    }

    static void writeHeader(ByteBuffer b, int type, int syncId, int count, long baseMicros) {
        b.putShort((short) MAGIC).put((byte) FORMAT).put((byte) type).put((byte) syncId).put((byte) 0)
                .putShort((short) count).putLong(baseMicros);
    }

    static void writeRecord(ByteBuffer b, ConnectionEventKind kind, ConnectionEntry e, int offsetMicros) {
        b.put((byte) kind.code).put((byte) (e.ipv6 ? 6 : 4)).put((byte) e.protocol).put((byte) 0);
        b.putShort((short) e.state).putShort((short) e.cport).putShort((short) e.vport).putShort((short) e.dport);
        b.putInt(e.flags).putInt(e.fwmark).putInt(e.timeoutSeconds).putInt(e.remainingSeconds).putInt(offsetMicros);
        if (e.ipv6) {
            b.putLong(e.caddrHi).putLong(e.caddrLo).putLong(e.vaddrHi).putLong(e.vaddrLo).putLong(e.daddrHi).putLong(e.daddrLo);
        } else {
            b.putInt((int) e.caddrLo).putInt((int) e.vaddrLo).putInt((int) e.daddrLo);
        }
    }

    /**
     * Length of the valid record at {@code p} (which must end by {@code limit}), or -1 when the record
     * is cut short or has an unknown kind or family.
     */
    static int validRecordLength(ByteBuffer b, int p, int limit) {
        if (limit - p < V4_RECORD) {
            return -1;
        }
        if (ConnectionEventKind.ofCode(b.get(p) & 0xff) == null) {
            return -1;
        }
        int family = b.get(p + 1);
        int len = family == 4 ? V4_RECORD : family == 6 ? V6_RECORD : -1;
        return len > 0 && p + len <= limit ? len : -1;
    }

    /** Reads only the key of the (already validated) record at {@code p} into {@code out}: what a store lookup needs. */
    static void readKey(ByteBuffer b, int p, ConnectionEntry out) {
        out.ipv6 = b.get(p + 1) == 6;
        out.protocol = b.get(p + 2) & 0xff;
        out.cport = b.getShort(p + 6) & 0xffff;
        out.vport = b.getShort(p + 8) & 0xffff;
        int a = p + 32;
        if (out.ipv6) {
            out.caddrHi = b.getLong(a);
            out.caddrLo = b.getLong(a + 8);
            out.vaddrHi = b.getLong(a + 16);
            out.vaddrLo = b.getLong(a + 24);
        } else {
            out.caddrHi = 0;
            out.caddrLo = b.getInt(a) & 0xffffffffL;
            out.vaddrHi = 0;
            out.vaddrLo = b.getInt(a + 4) & 0xffffffffL;
        }
    }

    /** Reads the (already validated) record at {@code p} into {@code out}; returns its kind. */
    static ConnectionEventKind readRecord(ByteBuffer b, int p, ConnectionEntry out) {
        ConnectionEventKind kind = ConnectionEventKind.ofCode(b.get(p) & 0xff);
        out.ipv6 = b.get(p + 1) == 6;
        out.protocol = b.get(p + 2) & 0xff;
        out.state = b.getShort(p + 4) & 0xffff;
        out.cport = b.getShort(p + 6) & 0xffff;
        out.vport = b.getShort(p + 8) & 0xffff;
        out.dport = b.getShort(p + 10) & 0xffff;
        out.flags = b.getInt(p + 12);
        out.fwmark = b.getInt(p + 16);
        out.timeoutSeconds = b.getInt(p + 20);
        out.remainingSeconds = b.getInt(p + 24);
        int a = p + 32;
        if (out.ipv6) {
            out.caddrHi = b.getLong(a);
            out.caddrLo = b.getLong(a + 8);
            out.vaddrHi = b.getLong(a + 16);
            out.vaddrLo = b.getLong(a + 24);
            out.daddrHi = b.getLong(a + 32);
            out.daddrLo = b.getLong(a + 40);
        } else {
            out.caddrHi = 0;
            out.caddrLo = b.getInt(a) & 0xffffffffL;
            out.vaddrHi = 0;
            out.vaddrLo = b.getInt(a + 4) & 0xffffffffL;
            out.daddrHi = 0;
            out.daddrLo = b.getInt(a + 8) & 0xffffffffL;
        }
        return kind;
    }

    /** Fills in the authentication trailer (the last {@link #BATCH_MAC} bytes) of a batch made with room for it. */
    static void seal(javax.crypto.Mac mac, byte[] batch) {
        int len = batch.length - BATCH_MAC;
        mac.update(batch, 0, len);
        System.arraycopy(mac.doFinal(), 0, batch, len, BATCH_MAC);
    }

    /** The record count in a finished batch's header. */
    static int batchCount(byte[] batch) {
        return batch.length < HEADER ? 0 : ((batch[6] & 0xff) << 8) | (batch[7] & 0xff);
    }

    static int eventOffsetMicros(ByteBuffer b, int p) {
        return b.getInt(p + 28);
    }
}
