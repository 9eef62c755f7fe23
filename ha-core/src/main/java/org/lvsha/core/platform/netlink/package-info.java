/**
 * Netlink: the codec ({@link org.lvsha.core.platform.netlink.NetlinkMessage},
 * {@link org.lvsha.core.platform.netlink.NetlinkAttributes},
 * {@link org.lvsha.core.platform.netlink.NetlinkAttributeWriter}), which is pure and testable on byte
 * vectors, and the sockets that carry it.
 *
 * <p><b>For a generic netlink family codec (IPVS).</b> Encode the attributes with
 * {@code NetlinkAttributeWriter} into a {@code byte[]}; send with
 * {@code GenericNetlinkSocket.request(familyId, cmd, version, flags, attributes)}, where
 * {@code familyId = resolveFamily("IPVS")} and {@code flags} is 0 for a command (acked) or
 * {@code NetlinkMessage.NLM_F_DUMP} for a listing; each returned {@code byte[]} holds the attributes of
 * one reply message (after its genlmsghdr), to decode with {@code NetlinkAttributes.parse(ByteBuffer.wrap(bytes))}.
 * A transport interface with that one method signature is satisfied by a method reference to
 * {@code GenericNetlinkSocket::request}. Kernel refusals arrive as
 * {@link org.lvsha.core.platform.ErrnoException}; use the overload taking an operation and object name
 * so the message reads e.g. {@code IPVS_CMD_NEW_SERVICE tcp 203.0.113.100:80: EEXIST (File exists)}.
 */
package org.lvsha.core.platform.netlink;
