package org.lvsha.sync.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The kernel sync codec against the constructed vectors of reference notes §5.1 and every malformed case. */
class KernelSyncCodecTest {

    static final String VECTOR_A = "00 01 00 2c 01 01 00 00 00 06 00 24 00 00 00 83"
            + "00 01 d4 31 00 50 00 50 00 00 00 00 00 00 03 84"
            + "c0 00 02 64 c0 00 02 0a 0a 00 00 0b";
    static final String VECTOR_B = "00 07 00 5c 02 01 00 00 00 11 00 2e 00 00 10 83"
            + "00 00 00 00 13 c4 13 c4 00 00 00 00 00 00 01 68"
            + "c0 00 02 64 c0 00 02 0a 0a 00 00 0b 02 03 61 62"
            + "63 03 03 73 69 70 00 00 00 06 00 24 00 00 01 83"
            + "00 04 9c 40 01 bb 01 bb 00 00 00 00 00 00 00 78"
            + "c6 33 64 07 c0 00 02 0a 0a 00 00 0c";
    static final String VECTOR_C = "00 00 00 50 01 01 00 00 01 11 00 48 00 00 00 83"
            + "00 00 14 e9 00 35 00 35 00 00 00 00 00 00 01 2c"
            + "20 01 0d b8 00 00 00 00 00 00 00 00 00 00 01 00"
            + "20 01 0d b8 00 00 00 00 00 00 00 00 00 00 00 10"
            + "20 01 0d b8 00 01 00 00 00 00 00 00 00 00 00 11";
    static final String VECTOR_D = "00 01 00 46 01 01 00 00 00 06 00 3e 00 00 06 00"
            + "00 01 04 01 00 15 00 15 00 00 00 00 00 00 03 84"
            + "c0 00 02 64 c0 00 02 0a 0a 00 00 0b 01 18 11 22"
            + "33 44 00 00 00 08 00 00 00 00 55 66 77 88 ff ff"
            + "ff f8 00 00 00 00";
    static final String VECTOR_E = "01 01 00 1c 00 06 d4 31 00 50 00 50 c0 00 02 64"
            + "c0 00 02 0a 0a 00 00 0b 00 83 00 01";

    static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replace(" ", ""));
    }

    static byte[] ip(int a, int b, int c, int d) {
        return new byte[] {(byte) a, (byte) b, (byte) c, (byte) d};
    }

    static byte[] ip6(String s) {
        try {
            return java.net.InetAddress.getByName(s).getAddress();
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    static final KernelSyncConnection CONN_A = KernelSyncConnection.ipv4(6, 0x83, ConnectionStates.TCP_ESTABLISHED,
            ip(192, 0, 2, 100), 54321, ip(192, 0, 2, 10), 80, ip(10, 0, 0, 11), 80, 0, 900);

    @Test
    void vectorAEncodesByteForByteAndDecodesBack() {
        List<byte[]> out = KernelSyncCodec.encodeV1(1, List.of(CONN_A), 1472);
        assertThat(out).hasSize(1);
        assertThat(out.get(0)).isEqualTo(hex(VECTOR_A));
        KernelSyncDecodeResult r = KernelSyncCodec.decode(hex(VECTOR_A), 0);
        assertThat(r.isAccepted()).isTrue();
        assertThat(r.message().version()).isEqualTo(1);
        assertThat(r.message().syncId()).isEqualTo(1);
        assertThat(r.message().connections()).containsExactly(CONN_A);
    }

    @Test
    void vectorBHasPeOptionsAndPaddingBetweenEntriesOnly() {
        KernelSyncConnection sipTemplate = new KernelSyncConnection(17, 0x1083, ConnectionStates.TEMPLATE_NONE,
                ip(192, 0, 2, 100), 0, ip(192, 0, 2, 10), 5060, ip(10, 0, 0, 11), 5060, 0, 360,
                null, "abc".getBytes(StandardCharsets.US_ASCII), "sip");
        KernelSyncConnection finWait = KernelSyncConnection.ipv4(6, 0x0183, ConnectionStates.TCP_FIN_WAIT,
                ip(198, 51, 100, 7), 40000, ip(192, 0, 2, 10), 443, ip(10, 0, 0, 12), 443, 0, 120);
        assertThat(KernelSyncCodec.v1EntryLength(sipTemplate)).isEqualTo(46);
        List<byte[]> out = KernelSyncCodec.encodeV1(7, List.of(sipTemplate, finWait), 1472);
        assertThat(out).hasSize(1);
        assertThat(out.get(0)).isEqualTo(hex(VECTOR_B));
        KernelSyncDecodeResult r = KernelSyncCodec.decode(hex(VECTOR_B), 7);
        assertThat(r.message().connections()).containsExactly(sipTemplate, finWait);
    }

    @Test
    void vectorBTemplateHasNoClientPort() {
        // a persistence template has cport 0 (reference notes §1.7)
        KernelSyncConnection t = KernelSyncCodec.decode(hex(VECTOR_B), 0).message().connections().get(0);
        assertThat(t.clientPort()).isZero();
        assertThat(t.virtualPort()).isEqualTo(5060);
        assertThat(t.destinationPort()).isEqualTo(5060);
    }

    @Test
    void vectorCIpv6EntryUsesType1() {
        KernelSyncConnection c = new KernelSyncConnection(17, 0x83, ConnectionStates.UDP_NORMAL,
                ip6("2001:db8::100"), 5353, ip6("2001:db8::10"), 53, ip6("2001:db8:1::11"), 53, 0, 300, null, null, null);
        assertThat(KernelSyncCodec.encodeV1(0, List.of(c), 1472).get(0)).isEqualTo(hex(VECTOR_C));
        assertThat(KernelSyncCodec.decode(hex(VECTOR_C), 0).message().connections()).containsExactly(c);
        // the vector was sent with sync id 0: a backup filtering on 5 drops it
        assertThat(KernelSyncCodec.decode(hex(VECTOR_C), 5).rejection()).isEqualTo(KernelSyncRejection.SYNC_ID_MISMATCH);
    }

    @Test
    void vectorDCarriesSeqDataBigEndian() {
        SeqData seq = new SeqData(0x11223344, 8, 0, 0x55667788, -8, 0);
        KernelSyncConnection c = new KernelSyncConnection(6, 0x0600, ConnectionStates.TCP_ESTABLISHED,
                ip(192, 0, 2, 100), 1025, ip(192, 0, 2, 10), 21, ip(10, 0, 0, 11), 21, 0, 900, seq, null, null);
        assertThat(KernelSyncCodec.encodeV1(1, List.of(c), 1472).get(0)).isEqualTo(hex(VECTOR_D));
        assertThat(KernelSyncCodec.decode(hex(VECTOR_D), 1).message().connections()).containsExactly(c);
    }

    @Test
    void vectorEIsVersion0WithoutTimeoutOrFwmark() {
        KernelSyncConnection v0 = KernelSyncConnection.ipv4(6, 0x83, 1, ip(192, 0, 2, 100), 54321,
                ip(192, 0, 2, 10), 80, ip(10, 0, 0, 11), 80, 0, 0);
        assertThat(KernelSyncCodec.encodeV0(1, List.of(v0), 1472).get(0)).isEqualTo(hex(VECTOR_E));
        KernelSyncDecodeResult r = KernelSyncCodec.decode(hex(VECTOR_E), 1);
        assertThat(r.message().version()).isZero();
        assertThat(r.message().connections()).containsExactly(v0);
    }

    @Test
    void version0SeqDataIsLittleEndianHostOrder() {
        SeqData seq = new SeqData(1, 2, 3, 4, 5, 6);
        KernelSyncConnection c = new KernelSyncConnection(6, 0x0403, 1, ip(192, 0, 2, 1), 1, ip(192, 0, 2, 2), 2,
                ip(192, 0, 2, 3), 3, 0, 0, seq, null, null);
        byte[] d = KernelSyncCodec.encodeV0(2, List.of(c), 1472).get(0);
        assertThat(d).hasSize(4 + 48);
        assertThat(d[28]).isEqualTo((byte) 1);
        assertThat(d[29]).isZero();
        assertThat(KernelSyncCodec.decode(d, 0).message().connections().get(0).seq()).isEqualTo(seq);
    }

    @Test
    void backupFlagsMaskPerVersion() {
        assertThat(SyncFlags.onBackup(1, 0x10000 | 0x2000 | 0x83 | 0x40)).isEqualTo(0x83 | SyncFlags.SYNC);
        assertThat(SyncFlags.onBackup(0, 0x2000 | 0x83 | 0x40)).isEqualTo(0x2000 | 0x83 | SyncFlags.SYNC);
    }

    @Test
    void encoderClearsHashedFlag() {
        KernelSyncConnection hashed = KernelSyncConnection.ipv4(6, 0x83 | SyncFlags.HASHED, 1, ip(192, 0, 2, 100), 1,
                ip(192, 0, 2, 10), 80, ip(10, 0, 0, 11), 80, 0, 900);
        byte[] d = KernelSyncCodec.encodeV1(1, List.of(hashed), 1472).get(0);
        assertThat(d[15]).isEqualTo((byte) 0x83);
    }

    @Test
    void encoderCapsEntriesAt255AndSplitsBySize() {
        List<KernelSyncConnection> many = new ArrayList<>();
        for (int i = 0; i < 600; i++) {
            many.add(KernelSyncConnection.ipv4(6, 0x83, 1, ip(198, 51, 100, i & 0xff), 1024 + i, ip(192, 0, 2, 10), 80,
                    ip(10, 0, 0, 11), 80, 0, 900));
        }
        List<byte[]> small = KernelSyncCodec.encodeV1(1, many, 1472);
        for (byte[] d : small) {
            assertThat(d.length).isLessThanOrEqualTo(1472);
            assertThat(d[4] & 0xff).isEqualTo(d.length == 1472 ? 40 : d[4] & 0xff);
        }
        assertThat(small.get(0)[4] & 0xff).isEqualTo(40); // (1472 - 8) / 36 = 40
        List<byte[]> big = KernelSyncCodec.encodeV1(1, many, 65000);
        assertThat(big).hasSize(3);
        assertThat(big.get(0)[4] & 0xff).isEqualTo(255);
        assertThat(big.get(2)[4] & 0xff).isEqualTo(90);
        int decoded = 0;
        for (byte[] d : big) {
            decoded += KernelSyncCodec.decode(d, 1).message().connections().size();
        }
        assertThat(decoded).isEqualTo(600);
    }

    @Test
    void syncIdZeroAcceptsAllOtherwiseMustMatch() {
        assertThat(KernelSyncCodec.decode(hex(VECTOR_A), 0).isAccepted()).isTrue();
        assertThat(KernelSyncCodec.decode(hex(VECTOR_A), 1).isAccepted()).isTrue();
        assertThat(KernelSyncCodec.decode(hex(VECTOR_A), 2).rejection()).isEqualTo(KernelSyncRejection.SYNC_ID_MISMATCH);
    }

    // ------------------------------------------------------------ malformed input

    static KernelSyncRejection rejectionOf(byte[] d) {
        KernelSyncDecodeResult r = KernelSyncCodec.decode(d, 0);
        assertThat(r.isAccepted()).as("should be rejected").isFalse();
        return r.rejection();
    }

    static byte[] withSize(byte[] d) {
        d[2] = (byte) (d.length >> 8);
        d[3] = (byte) d.length;
        return d;
    }

    @Test
    void truncatedHeaderIsRejected() {
        assertThat(rejectionOf(new byte[] {0, 1, 0})).isEqualTo(KernelSyncRejection.TRUNCATED_HEADER);
        assertThat(rejectionOf(new byte[] {0, 1, 0, 6, 1, 1})).isEqualTo(KernelSyncRejection.TRUNCATED_HEADER);
        assertThat(rejectionOf(new byte[0])).isEqualTo(KernelSyncRejection.TRUNCATED_HEADER);
    }

    @Test
    void sizeFieldDifferentFromDatagramLengthIsRejected() {
        byte[] a = hex(VECTOR_A);
        byte[] longer = java.util.Arrays.copyOf(a, a.length + 4);
        assertThat(rejectionOf(longer)).isEqualTo(KernelSyncRejection.SIZE_MISMATCH);
        byte[] shorter = java.util.Arrays.copyOf(a, a.length - 1);
        assertThat(rejectionOf(shorter)).isEqualTo(KernelSyncRejection.SIZE_MISMATCH);
    }

    @Test
    void unknownVersionAndNonZeroSpareAreRejected() {
        byte[] a = hex(VECTOR_A);
        a[5] = 2;
        assertThat(rejectionOf(a)).isEqualTo(KernelSyncRejection.UNKNOWN_VERSION);
        byte[] b = hex(VECTOR_A);
        b[7] = 1;
        assertThat(rejectionOf(b)).isEqualTo(KernelSyncRejection.BAD_HEADER);
    }

    @Test
    void zeroEntriesIsRejected() {
        assertThat(rejectionOf(new byte[] {0, 1, 0, 8, 0, 1, 0, 0})).isEqualTo(KernelSyncRejection.NO_ENTRIES);
    }

    @Test
    void moreEntriesThanFitIsRejected() {
        byte[] a = hex(VECTOR_A);
        a[4] = 2;
        assertThat(rejectionOf(a)).isEqualTo(KernelSyncRejection.TOO_MANY_ENTRIES);
        byte[] e = hex(VECTOR_E);
        e[0] = 2;
        assertThat(rejectionOf(e)).isEqualTo(KernelSyncRejection.TOO_MANY_ENTRIES);
    }

    @Test
    void entryLengthOverrunningTheDatagramIsRejected() {
        byte[] a = hex(VECTOR_A);
        a[11] = 0x28; // 40 > 36 available
        assertThat(rejectionOf(a)).isEqualTo(KernelSyncRejection.ENTRY_OVERRUN);
    }

    @Test
    void entryShorterThanItsFixedPartIsRejected() {
        byte[] a = hex(VECTOR_A);
        a[11] = 0x20;
        assertThat(rejectionOf(a)).isEqualTo(KernelSyncRejection.ENTRY_TOO_SHORT);
        byte[] c = hex(VECTOR_C);
        c[11] = 0x24; // an IPv6 entry claiming the IPv4 length
        assertThat(rejectionOf(c)).isEqualTo(KernelSyncRejection.ENTRY_TOO_SHORT);
    }

    @Test
    void nonZeroEntryVersionOrUnknownTypeIsRejected() {
        byte[] a = hex(VECTOR_A);
        a[10] = 0x10;
        assertThat(rejectionOf(a)).isEqualTo(KernelSyncRejection.BAD_ENTRY_VERSION);
        byte[] t = hex(VECTOR_A);
        t[8] = 2; // the kernel comment's "type 2" is not what it sends
        assertThat(rejectionOf(t)).isEqualTo(KernelSyncRejection.BAD_ENTRY_TYPE);
    }

    @Test
    void badOptionLengthsAreRejected() {
        byte[] d = hex(VECTOR_D);
        d[0x2d] = 0x17; // seq length 23: option runs past where the entry says it ends? no: it ends early
        assertThat(rejectionOf(d)).isIn(KernelSyncRejection.BAD_SEQ_OPTION, KernelSyncRejection.BAD_OPTION_LENGTH);
        byte[] z = hex(VECTOR_D);
        z[0x2d] = 0; // zero-length option
        assertThat(rejectionOf(z)).isEqualTo(KernelSyncRejection.BAD_OPTION_LENGTH);
        byte[] over = hex(VECTOR_D);
        over[0x2d] = 0x30; // longer than the entry
        assertThat(rejectionOf(over)).isEqualTo(KernelSyncRejection.BAD_OPTION_LENGTH);
    }

    @Test
    void seqOptionOfWrongLengthIsRejected() {
        // entry of 36 + 2 + 4: a SEQ option with 4 data bytes
        byte[] a = hex(VECTOR_A);
        byte[] d = java.util.Arrays.copyOf(a, a.length + 6);
        d[11] = 36 + 6;
        d[44] = 1;
        d[45] = 4;
        assertThat(rejectionOf(withSize(d))).isEqualTo(KernelSyncRejection.BAD_SEQ_OPTION);
    }

    @Test
    void unknownMandatoryOptionSkipsOnlyThatEntryButOptionalIsIgnored() {
        byte[] a = hex(VECTOR_A);
        byte[] d = java.util.Arrays.copyOf(a, a.length + 3);
        d[11] = 36 + 3;
        d[44] = 9;
        d[45] = 1;
        KernelSyncDecodeResult r = KernelSyncCodec.decode(withSize(d), 0);
        assertThat(r.isAccepted()).isTrue();
        assertThat(r.message().connections()).isEmpty();
        assertThat(r.skippedEntries()).containsExactly(KernelSyncRejection.UNKNOWN_MANDATORY_OPTION);
        d[44] = (byte) (9 | 0x40);
        assertThat(KernelSyncCodec.decode(d, 0).message().connections()).hasSize(1);
    }

    @Test
    void peDataWithoutNameSkipsTheEntry() {
        byte[] a = hex(VECTOR_A);
        byte[] d = java.util.Arrays.copyOf(a, a.length + 3);
        d[11] = 36 + 3;
        d[44] = 2;
        d[45] = 1;
        d[46] = 'x';
        KernelSyncDecodeResult r = KernelSyncCodec.decode(withSize(d), 0);
        assertThat(r.skippedEntries()).containsExactly(KernelSyncRejection.BAD_PE_OPTION);
    }

    @Test
    void invalidStateOrProtocolSkipsOnlyThatEntry() {
        byte[] b = hex(VECTOR_B);
        b[0x40 + 1] = 11; // second entry: TCP state 11 does not exist
        KernelSyncDecodeResult r = KernelSyncCodec.decode(b, 0);
        assertThat(r.message().connections()).hasSize(1);
        assertThat(r.skippedEntries()).containsExactly(KernelSyncRejection.INVALID_STATE);
        byte[] a = hex(VECTOR_A);
        a[9] = 47; // GRE
        assertThat(KernelSyncCodec.decode(a, 0).skippedEntries()).containsExactly(KernelSyncRejection.UNSUPPORTED_PROTOCOL);
    }

    @Test
    void trailingBytesAfterTheLastEntryAreRejected() {
        byte[] a = hex(VECTOR_A);
        byte[] d = withSize(java.util.Arrays.copyOf(a, a.length + 8));
        assertThat(rejectionOf(d)).isEqualTo(KernelSyncRejection.TRAILING_BYTES);
    }

    @Test
    void truncatedVersion0EntryIsRejected() {
        byte[] e = hex(VECTOR_E);
        e[0x19] = 0x03; e[0x18] = 0x06; // SEQ flags: claims 48 bytes, has 24
        assertThat(rejectionOf(e)).isEqualTo(KernelSyncRejection.ENTRY_TRUNCATED);
    }

    @Test
    void countersRecordAcceptedAndRejectedPerReason() {
        KernelSyncCounters counters = new KernelSyncCounters();
        counters.record(KernelSyncCodec.decode(hex(VECTOR_B), 0));
        counters.record(KernelSyncCodec.decode(new byte[3], 0));
        assertThat(counters.datagramsAccepted()).isEqualTo(1);
        assertThat(counters.entriesAccepted()).isEqualTo(2);
        assertThat(counters.rejected(KernelSyncRejection.TRUNCATED_HEADER)).isEqualTo(1);
    }

    @Test
    void randomAndMutatedDatagramsNeverThrowAndNeverHalfApply() {
        Random rnd = new Random(0x5eed);
        List<byte[]> seeds = List.of(hex(VECTOR_A), hex(VECTOR_B), hex(VECTOR_C), hex(VECTOR_D), hex(VECTOR_E));
        int accepted = 0;
        for (int i = 0; i < 200_000; i++) {
            byte[] d;
            if (i % 4 == 0) {
                d = new byte[rnd.nextInt(120)];
                rnd.nextBytes(d);
                if (d.length >= 4 && rnd.nextBoolean()) {
                    withSize(d);
                }
            } else {
                byte[] s = seeds.get(rnd.nextInt(seeds.size()));
                d = java.util.Arrays.copyOf(s, Math.max(0, s.length + rnd.nextInt(9) - 4));
                int flips = 1 + rnd.nextInt(4);
                for (int f = 0; f < flips && d.length > 0; f++) {
                    d[rnd.nextInt(d.length)] ^= (byte) (1 << rnd.nextInt(8));
                }
                if (d.length >= 4 && rnd.nextInt(3) > 0) {
                    withSize(d);
                }
            }
            KernelSyncDecodeResult r = KernelSyncCodec.decode(d, 0);
            if (r.isAccepted()) {
                accepted++;
                assertThat(r.message().connections().size() + r.skippedEntries().size()).isPositive();
            } else {
                assertThat(r.rejection()).isNotNull();
                assertThat(r.rejection().wholeDatagram()).isTrue();
            }
        }
        assertThat(accepted).isPositive();
    }
}
