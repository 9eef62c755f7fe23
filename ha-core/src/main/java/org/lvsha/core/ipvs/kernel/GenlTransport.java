package org.lvsha.core.ipvs.kernel;

/**
 * What the kernel adapter needs from a generic-netlink socket: pure bytes in and out, so the IPVS codec and
 * adapter are testable without a kernel. The platform layer implements it over a NETLINK_GENERIC socket
 * (nlctrl family resolution, sequence numbers, multipart reassembly, ack handling).
 */
public interface GenlTransport {

    /**
     * Resolves a family name through nlctrl ({@code CTRL_CMD_GETFAMILY}, §2.1). Returns the family id, or a
     * negative errno (-ENOENT when the family is not registered, e.g. the ip_vs module is not loaded).
     */
    int resolveFamily(String name);

    /**
     * Sends one request {nlmsghdr(type = familyId, flags = NLM_F_REQUEST | {@code flags}), genlmsghdr(command,
     * version, 0), attributes} and collects the reply. {@code flags} carries NLM_F_ACK or NLM_F_DUMP.
     * I/O failures are thrown as {@link java.io.UncheckedIOException}.
     */
    GenlReply request(int familyId, int command, int version, int flags, byte[] attributes);
}
