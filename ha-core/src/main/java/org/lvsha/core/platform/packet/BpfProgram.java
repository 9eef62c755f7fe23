package org.lvsha.core.platform.packet;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A classic BPF socket filter (SO_ATTACH_FILTER), built from field tests on the frame: each test
 * loads a byte, half-word or word at an absolute offset, optionally masks it, and compares it; a
 * frame passing every test is accepted whole, any other is dropped in the kernel before it is queued.
 *
 * <p>Instruction encoding follows linux/filter.h: {@code struct sock_filter {u16 code; u8 jt; u8 jf; u32 k}}.
 */
public final class BpfProgram {
    /** One {@code struct sock_filter}. */
    public record Instruction(int code, int jt, int jf, int k) {
    }

    // Opcode parts from linux/bpf_common.h.
    public static final int BPF_LD = 0x00;
    public static final int BPF_ALU = 0x04;
    public static final int BPF_JMP = 0x05;
    public static final int BPF_RET = 0x06;
    public static final int BPF_W = 0x00;
    public static final int BPF_H = 0x08;
    public static final int BPF_B = 0x10;
    public static final int BPF_ABS = 0x20;
    public static final int BPF_AND = 0x50;
    public static final int BPF_JEQ = 0x10;
    public static final int BPF_K = 0x00;
    public static final int BPF_LDX = 0x01;
    public static final int BPF_ST = 0x02;
    public static final int BPF_IND = 0x40;
    public static final int BPF_MEM = 0x60;
    public static final int BPF_MSH = 0xa0;
    public static final int BPF_ADD = 0x00;
    public static final int BPF_MOD = 0x90;
    public static final int BPF_JSET = 0x40;
    public static final int BPF_X = 0x08;
    public static final int BPF_A = 0x10;
    /** The largest program the kernel accepts (BPF_MAXINSNS). */
    public static final int MAX_INSTRUCTIONS = 4096;

    /** Accept up to this many bytes of a matching frame (more than any MTU we use). */
    public static final int ACCEPT_SNAPLEN = 0x40000;
    /** Jump offsets are 8 bits: a longer chain of tests could not reach the final reject. */
    private static final int MAX_TESTS = 80;

    private final List<Instruction> instructions;

    private BpfProgram(List<Instruction> instructions) {
        this.instructions = Collections.unmodifiableList(instructions);
    }

    /** A program from raw instructions (the caller computed the jumps); at most {@link #MAX_INSTRUCTIONS}. */
    public static BpfProgram of(List<Instruction> code) {
        if (code.isEmpty() || code.size() > MAX_INSTRUCTIONS) {
            throw new IllegalArgumentException("a BPF program has 1.." + MAX_INSTRUCTIONS + " instructions, not " + code.size());
        }
        for (Instruction i : code) {
            if (i.jt() < 0 || i.jt() > 255 || i.jf() < 0 || i.jf() > 255) {
                throw new IllegalArgumentException("jump offset out of range in " + i);
            }
        }
        return new BpfProgram(new ArrayList<>(code));
    }

    /** A program that accepts nothing. */
    public static BpfProgram rejectAll() {
        return of(List.of(new Instruction(BPF_RET | BPF_K, 0, 0, 0)));
    }

    public List<Instruction> instructions() {
        return instructions;
    }

    /** Accepts frames whose EtherType (bytes 12–13, untagged frames) is {@code etherType}. */
    public static BpfProgram etherType(int etherType) {
        return builder().half(12, etherType).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Collects tests; all must hold for a frame to be accepted. */
    public static final class Builder {
        private record Test(int size, int offset, int mask, int value) {
        }

        private final List<Test> tests = new ArrayList<>();

        /** The byte at {@code offset} equals {@code value}. */
        public Builder u8(int offset, int value) {
            return add(BPF_B, offset, 0, value & 0xff);
        }

        /** The big-endian 16-bit field at {@code offset} equals {@code value}. */
        public Builder half(int offset, int value) {
            return add(BPF_H, offset, 0, value & 0xffff);
        }

        /** The big-endian 32-bit field at {@code offset} equals {@code value}. */
        public Builder word(int offset, int value) {
            return add(BPF_W, offset, 0, value);
        }

        /** {@code (u8 at offset) & mask == value}. */
        public Builder u8Masked(int offset, int mask, int value) {
            return add(BPF_B, offset, mask & 0xff, value & 0xff);
        }

        private Builder add(int size, int offset, int mask, int value) {
            if (offset < 0) {
                throw new IllegalArgumentException("negative offset " + offset);
            }
            if (tests.size() == MAX_TESTS) {
                throw new IllegalStateException("at most " + MAX_TESTS + " tests per program");
            }
            tests.add(new Test(size, offset, mask, value));
            return this;
        }

        public BpfProgram build() {
            int length = 0;
            for (Test t : tests) {
                length += t.mask != 0 ? 3 : 2;
            }
            int reject = length + 1; // after the tests: [accept, reject]
            List<Instruction> out = new ArrayList<>();
            for (Test t : tests) {
                out.add(new Instruction(BPF_LD | t.size | BPF_ABS, 0, 0, t.offset));
                if (t.mask != 0) {
                    out.add(new Instruction(BPF_ALU | BPF_AND | BPF_K, 0, 0, t.mask));
                }
                int here = out.size();
                // jt 0: fall through to the next test; jf: skip to the final "return 0".
                out.add(new Instruction(BPF_JMP | BPF_JEQ | BPF_K, 0, reject - here - 1, t.value));
            }
            out.add(new Instruction(BPF_RET | BPF_K, 0, 0, ACCEPT_SNAPLEN));
            out.add(new Instruction(BPF_RET | BPF_K, 0, 0, 0));
            return new BpfProgram(out);
        }
    }

    /** The program as the kernel reads it: 8 bytes per instruction, native byte order. */
    public byte[] encode() {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(instructions.size() * 8).order(java.nio.ByteOrder.nativeOrder());
        for (Instruction i : instructions) {
            b.putShort((short) i.code()).put((byte) i.jt()).put((byte) i.jf()).putInt(i.k());
        }
        return b.array();
    }
}
