package org.lvsha.core.dataplane;

import static org.lvsha.core.platform.packet.BpfProgram.*;

import java.util.ArrayList;
import java.util.List;

import org.lvsha.core.platform.packet.BpfProgram;
import org.lvsha.core.platform.packet.BpfProgram.Instruction;

/**
 * The classic BPF programs of the data plane, generated from the IPVS table.
 * <ul>
 *   <li>{@link #receive}: which frames a ring gets at all: IPv4 TCP/UDP to a virtual service
 *       (protocol, VIP, port — any port for a port-0 service), or for NAT the replies of a real server
 *       (protocol, RIP, source port). Non-first fragments of matching address and protocol pass too, so that
 *       they are counted ({@link BadFrame#FRAGMENT}) rather than silently lost.</li>
 *   <li>{@link #clientShard}: the PACKET_FANOUT_CBPF program picking the worker: (client address + client port)
 *       mod workers, reading the client from the source of a request and from the destination of a NAT reply,
 *       so both directions of a connection reach the worker that owns it ({@link #shardOf} is the same sum).</li>
 * </ul>
 * Each rule is a self-contained block ending in its own "accept", so every jump is short (8-bit offsets).
 */
public final class ServiceFilter {

    /** One match: {@code protocol}, the address at IPv4 offset 12 (source) or 16 (destination), and a port. */
    public record Rule(int protocol, boolean matchSource, int address, int port) {
    }

    private ServiceFilter() {
    }

    private static Instruction stmt(int code, int k) {
        return new Instruction(code, 0, 0, k);
    }

    private static Instruction jump(int code, int k, int jt, int jf) {
        return new Instruction(code, jt, jf, k);
    }

    /** The receive filter for {@code rules}; with no rule it accepts nothing. */
    public static BpfProgram receive(List<Rule> rules) {
        if (rules.isEmpty()) {
            return BpfProgram.rejectAll();
        }
        List<Instruction> p = new ArrayList<>();
        p.add(stmt(BPF_LD | BPF_H | BPF_ABS, 12));
        p.add(jump(BPF_JMP | BPF_JEQ | BPF_K, 0x0800, 1, 0));
        p.add(stmt(BPF_RET | BPF_K, 0));
        // X = IPv4 header length (4 * IHL): the ports follow it, whatever the options.
        p.add(stmt(BPF_LDX | BPF_B | BPF_MSH, 14));
        for (Rule r : rules) {
            int addressAt = 14 + (r.matchSource() ? 12 : 16);
            int portAt = 14 + (r.matchSource() ? 0 : 2);
            if (r.port() == 0) {
                // [0] proto [1] jeq→skip [2] addr [3] jeq→skip [4] accept
                p.add(stmt(BPF_LD | BPF_B | BPF_ABS, 23));
                p.add(jump(BPF_JMP | BPF_JEQ | BPF_K, r.protocol(), 0, 3));
                p.add(stmt(BPF_LD | BPF_W | BPF_ABS, addressAt));
                p.add(jump(BPF_JMP | BPF_JEQ | BPF_K, r.address(), 0, 1));
                p.add(stmt(BPF_RET | BPF_K, ACCEPT_SNAPLEN));
            } else {
                // [0] proto [1] jeq→skip [2] addr [3] jeq→skip [4] frag [5] jset→accept [6] port [7] jeq→skip [8] accept
                p.add(stmt(BPF_LD | BPF_B | BPF_ABS, 23));
                p.add(jump(BPF_JMP | BPF_JEQ | BPF_K, r.protocol(), 0, 7));
                p.add(stmt(BPF_LD | BPF_W | BPF_ABS, addressAt));
                p.add(jump(BPF_JMP | BPF_JEQ | BPF_K, r.address(), 0, 5));
                p.add(stmt(BPF_LD | BPF_H | BPF_ABS, 20));
                p.add(jump(BPF_JMP | BPF_JSET | BPF_K, 0x1fff, 2, 0));
                p.add(stmt(BPF_LD | BPF_H | BPF_IND, portAt));
                p.add(jump(BPF_JMP | BPF_JEQ | BPF_K, r.port(), 0, 1));
                p.add(stmt(BPF_RET | BPF_K, ACCEPT_SNAPLEN));
            }
        }
        p.add(stmt(BPF_RET | BPF_K, 0));
        return BpfProgram.of(p);
    }

    /** The fanout program: the client is the source ({@code clientIsSource}) or the destination (NAT replies). */
    public static BpfProgram clientShard(boolean clientIsSource, int workers) {
        // Offsets are from the IPv4 header: unlike a socket filter (packet_rcv pushes the Ethernet header back
        // first), the fanout program runs on the skb as delivered, with data at the network header.
        List<Instruction> p = new ArrayList<>();
        p.add(stmt(BPF_LDX | BPF_B | BPF_MSH, 0));
        p.add(stmt(BPF_LD | BPF_H | BPF_IND, clientIsSource ? 0 : 2));
        p.add(stmt(BPF_ST, 0));
        p.add(stmt(BPF_LD | BPF_W | BPF_ABS, clientIsSource ? 12 : 16));
        p.add(stmt(BPF_LDX | BPF_W | BPF_MEM, 0));
        p.add(stmt(BPF_ALU | BPF_ADD | BPF_X, 0));
        p.add(stmt(BPF_ALU | BPF_MOD | BPF_K, workers));
        p.add(stmt(BPF_RET | BPF_A, 0));
        return BpfProgram.of(p);
    }

    /** The worker owning a client's connections: the same 32-bit unsigned arithmetic as {@link #clientShard}. */
    public static int shardOf(int clientAddress, int clientPort, int workers) {
        return Integer.remainderUnsigned(clientAddress + clientPort, workers);
    }
}
