/**
 * The kernel adapter. {@link org.lvsha.core.ipvs.kernel.IpvsMessageCodec} builds the messages ipvsadm/libipvs
 * sends (§2.5) and parses the replies; {@link org.lvsha.core.ipvs.kernel.KernelIpvs} sends them through a
 * {@link org.lvsha.core.ipvs.kernel.GenlTransport}.
 *
 * <p>{@link org.lvsha.core.ipvs.kernel.NetlinkGenlTransport} is the transport over the platform's generic netlink
 * socket, following these steps:
 * <ol>
 *   <li>{@code resolveFamily("IPVS")}: nlctrl CTRL_CMD_GETFAMILY (GENL_ID_CTRL 0x10) with CTRL_ATTR_FAMILY_NAME;
 *       return CTRL_ATTR_FAMILY_ID, or -ENOENT.</li>
 *   <li>{@code request(family, cmd, version, flags, attrs)}: send nlmsghdr{len, type = family, flags =
 *       NLM_F_REQUEST | flags, seq, pid 0} + genlmsghdr{cmd, version, 0} + attrs. Collect, for this seq, every
 *       message of type {@code family} (its bytes after the 16-byte nlmsghdr) until NLMSG_DONE for a dump
 *       (NLM_F_DUMP) or the NLMSG_ERROR ack otherwise; an NLMSG_ERROR with a non-zero error becomes
 *       {@code GenlReply.error(-error)}.</li>
 * </ol>
 * Needs CAP_NET_ADMIN in the target network namespace. The connection table is read from
 * /proc/net/ip_vs_conn of the caller's namespace.
 *
 * <p>Checked against a real kernel (Debian 6.1, ipvsadm 1.31) by dist's {@code KernelInteropTest}: requests equal
 * ipvsadm's byte for byte (including NLA_F_NESTED on nests, which the §2.5 vectors lacked); the captured vectors
 * are in {@code KernelCapturedVectorsTest}.
 */
package org.lvsha.core.ipvs.kernel;
