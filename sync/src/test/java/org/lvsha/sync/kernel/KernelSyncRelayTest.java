package org.lvsha.sync.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.lvsha.sync.replication.ConnectionEventKind;
import org.lvsha.sync.store.ConnectionEntry;

class KernelSyncRelayTest {
    final List<ConnectionEntry> published = new ArrayList<>();
    final List<byte[]> injected = new ArrayList<>();
    final KernelSyncRelay relay = new KernelSyncRelay(1, 1472,
            (kind, e) -> published.add(new ConnectionEntry().copyFrom(e)), injected::add);

    @Test
    void aKernelMasterDatagramBecomesConnectionEvents() {
        byte[] a = KernelSyncCodecTest.hex(KernelSyncCodecTest.VECTOR_A);
        assertThat(relay.fromKernel(a, a.length).isAccepted()).isTrue();
        assertThat(published).hasSize(1);
        ConnectionEntry e = published.get(0);
        assertThat(e.caddrLo).isEqualTo(0xc0000264L);
        assertThat(e.cport).isEqualTo(54321);
        assertThat(e.daddrLo).isEqualTo(0x0a00000bL);
        assertThat(e.state).isEqualTo(ConnectionStates.TCP_ESTABLISHED);
        assertThat(e.flags).isEqualTo(0x83);
        assertThat(e.timeoutSeconds).isEqualTo(900);
    }

    @Test
    void aVersion0EntryGetsTheProtocolDefaultTimeout() {
        byte[] e = KernelSyncCodecTest.hex(KernelSyncCodecTest.VECTOR_E);
        relay.fromKernel(e, e.length);
        assertThat(published.get(0).timeoutSeconds).isEqualTo(900);
    }

    @Test
    void malformedAndForeignDatagramsAreCountedAndPublishNothing() {
        byte[] a = KernelSyncCodecTest.hex(KernelSyncCodecTest.VECTOR_A);
        a[1] = 9;
        relay.fromKernel(a, a.length);
        relay.fromKernel(new byte[2], 2);
        assertThat(published).isEmpty();
        assertThat(relay.counters().rejected(KernelSyncRejection.SYNC_ID_MISMATCH)).isEqualTo(1);
        assertThat(relay.counters().rejected(KernelSyncRejection.TRUNCATED_HEADER)).isEqualTo(1);
    }

    @Test
    void replicatedEventsAreReinjectedAsTheSameV1Datagram() {
        byte[] a = KernelSyncCodecTest.hex(KernelSyncCodecTest.VECTOR_A);
        relay.fromKernel(a, a.length);
        relay.toKernel(ConnectionEventKind.CREATED, published.get(0));
        relay.toKernel(ConnectionEventKind.EXPIRED, published.get(0));
        relay.flush();
        assertThat(injected).hasSize(1);
        assertThat(injected.get(0)).isEqualTo(a);
    }

    @Test
    void aFullDatagramIsSentWithoutWaitingForFlush() {
        ConnectionEntry e = new ConnectionEntry();
        for (int i = 0; i < 255; i++) {
            relay.toKernel(ConnectionEventKind.CREATED,
                    e.ipv4(6, 0xc6336400 + i, 1000 + i, 0xc000020a, 80, 0x0a00000b, 80).state(1, 0x83, 0, 900));
        }
        assertThat(injected).hasSize(7); // 255 entries of 36 bytes in datagrams of at most 1472 bytes (40 each)
        int entries = 0;
        for (byte[] d : injected) {
            assertThat(d.length).isLessThanOrEqualTo(1472);
            entries += KernelSyncCodec.decode(d, 1).message().connections().size();
        }
        assertThat(entries).isEqualTo(255);
    }
}
