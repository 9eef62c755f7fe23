package org.lvsha.core.dataplane;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.lvsha.core.platform.packet.BpfProgram;
import org.lvsha.core.platform.packet.BpfProgram.Instruction;

/** Runs the generated programs on a small classic-BPF interpreter (the subset they use, as linux/filter.h defines it). */
class ServiceFilterTest {

    static int run(BpfProgram p, ByteBuffer pkt, int base) {
        int a = 0;
        int x = 0;
        int[] mem = new int[16];
        List<Instruction> code = p.instructions();
        for (int pc = 0, steps = 0; pc < code.size() && steps < 10_000; pc++, steps++) {
            Instruction i = code.get(pc);
            int c = i.code();
            switch (c) {
                case 0x20 -> a = pkt.getInt(base + i.k());                 // ld [k]
                case 0x28 -> a = pkt.getShort(base + i.k()) & 0xffff;      // ldh [k]
                case 0x30 -> a = pkt.get(base + i.k()) & 0xff;             // ldb [k]
                case 0x48 -> a = pkt.getShort(base + x + i.k()) & 0xffff;  // ldh [x+k]
                case 0xb1 -> x = (pkt.get(base + i.k()) & 0x0f) * 4;       // ldxb 4*([k]&0xf)
                case 0x61 -> x = mem[i.k()];                               // ldx M[k]
                case 0x02 -> mem[i.k()] = a;                               // st M[k]
                case 0x0c -> a = a + x;                                    // add x
                case 0x94 -> a = Integer.remainderUnsigned(a, i.k());      // mod #k
                case 0x15 -> pc += a == i.k() ? i.jt() : i.jf();           // jeq #k
                case 0x45 -> pc += (a & i.k()) != 0 ? i.jt() : i.jf();     // jset #k
                case 0x06 -> {
                    return i.k();                                          // ret #k
                }
                case 0x16 -> {
                    return a;                                              // ret a
                }
                default -> throw new IllegalStateException("opcode 0x" + Integer.toHexString(c));
            }
        }
        throw new IllegalStateException("fell off the program");
    }

    private final BpfProgram filter = ServiceFilter.receive(List.of(
            new ServiceFilter.Rule(6, false, TestFrames.VIP, 80),
            new ServiceFilter.Rule(17, false, TestFrames.VIP, 0),
            new ServiceFilter.Rule(6, true, TestFrames.RIP, 8080)));

    @Test
    void acceptsVirtualServiceTrafficAndNatRepliesOnly() {
        assertThat(run(filter, TestFrames.tcp(TestFrames.CLIENT, 1, TestFrames.VIP, 80, 2, 0, 0), 0)).isPositive();
        assertThat(run(filter, TestFrames.tcp(TestFrames.CLIENT, 1, TestFrames.VIP, 81, 2, 0, 0), 0)).isZero();
        assertThat(run(filter, TestFrames.tcp(TestFrames.CLIENT, 1, TestFrames.RIP, 80, 2, 0, 0), 0)).isZero();
        // port-0 UDP service: any port
        assertThat(run(filter, TestFrames.udp(TestFrames.CLIENT, 1, TestFrames.VIP, 5353, 1), 0)).isPositive();
        // NAT reply: from RIP:8080
        assertThat(run(filter, TestFrames.tcp(TestFrames.RIP, 8080, TestFrames.CLIENT, 40000, 0x12, 0, 0), 0)).isPositive();
        assertThat(run(filter, TestFrames.tcp(TestFrames.RIP, 22, TestFrames.CLIENT, 40000, 0x12, 0, 0), 0)).isZero();
        ByteBuffer arp = TestFrames.tcp(TestFrames.CLIENT, 1, TestFrames.VIP, 80, 2, 0, 0);
        arp.putShort(12, (short) 0x0806);
        assertThat(run(filter, arp, 0)).isZero();
    }

    @Test
    void findsThePortsBehindIpOptionsAndLetsNonFirstFragmentsThrough() {
        assertThat(run(filter, TestFrames.tcp(TestFrames.CLIENT, 1, TestFrames.VIP, 80, 2, 0, 12), 0)).isPositive();
        ByteBuffer frag = TestFrames.tcp(TestFrames.CLIENT, 1, TestFrames.VIP, 9999, 2, 8, 0);
        frag.putShort(20, (short) 0x0010);
        assertThat(run(filter, frag, 0)).isPositive();
    }

    @Test
    void noRuleAcceptsNothing() {
        assertThat(run(ServiceFilter.receive(List.of()), TestFrames.tcp(TestFrames.CLIENT, 1, TestFrames.VIP, 80, 2, 0, 0), 0)).isZero();
    }

    @Test
    void fanoutSendsBothDirectionsOfAConnectionToTheSameWorker() {
        BpfProgram requests = ServiceFilter.clientShard(true, 2);
        BpfProgram replies = ServiceFilter.clientShard(false, 2);
        for (int cport = 40000; cport < 40010; cport++) {
            ByteBuffer req = TestFrames.tcp(TestFrames.CLIENT, cport, TestFrames.VIP, 80, 2, 0, 0);
            ByteBuffer rep = TestFrames.tcp(TestFrames.RIP, 8080, TestFrames.CLIENT, cport, 0x12, 0, 0);
            // The fanout program sees the skb from the IPv4 header on (offset 14 in our frames).
            int w = run(requests, req, 14);
            assertThat(run(replies, rep, 14)).isEqualTo(w);
            assertThat(w).isEqualTo(ServiceFilter.shardOf(TestFrames.CLIENT, cport, 2));
        }
    }

    @Test
    void nftScriptReplacesTheTableAtomicallyAndDropsWhatTheRingsForward() {
        String s = new NftDropRules().script(List.of(
                new ServiceFilter.Rule(6, false, TestFrames.VIP, 80),
                new ServiceFilter.Rule(17, false, TestFrames.VIP, 0),
                new ServiceFilter.Rule(6, true, TestFrames.RIP, 8080)));
        assertThat(s).startsWith("add table inet lvsha_dp\ndelete table inet lvsha_dp\ntable inet lvsha_dp {")
                .contains("ip daddr 203.0.113.100 tcp dport 80 drop")
                .contains("ip daddr 203.0.113.100 meta l4proto udp drop")
                .contains("ip saddr 192.0.2.11 tcp sport 8080 fib daddr type != local drop");
    }
}
