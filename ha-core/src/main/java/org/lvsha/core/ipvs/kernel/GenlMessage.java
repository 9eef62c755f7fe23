package org.lvsha.core.ipvs.kernel;

/**
 * One IPVS request before it meets a socket: command, netlink flags beyond NLM_F_REQUEST (NLM_F_ACK or
 * NLM_F_DUMP) and the attribute bytes.
 */
public record GenlMessage(int command, int flags, byte[] attributes) {

    /** genlmsghdr {cmd, version 1, reserved 0} followed by the attributes, as in the §2.5 and §5 vectors. */
    public byte[] toBytes() {
        byte[] out = new byte[4 + attributes.length];
        out[0] = (byte) command;
        out[1] = (byte) IpvsGenl.VERSION;
        System.arraycopy(attributes, 0, out, 4, attributes.length);
        return out;
    }

    public boolean isDump() {
        return (flags & IpvsGenl.NLM_F_DUMP) == IpvsGenl.NLM_F_DUMP;
    }
}
