package org.lvsha.core.platform.netlink;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.lvsha.core.platform.ErrnoException;

/**
 * A NETLINK_GENERIC socket: resolves family ids by name through the {@code nlctrl} family and sends
 * requests to a family. The whole interface is bytes in, bytes out, so a family codec (IPVS, …) can
 * sit on it, or on a fake of its {@link #request} method in tests.
 *
 * <p>Message layout (linux/genetlink.h): nlmsghdr (type = family id), then genlmsghdr
 * {@code u8 cmd, u8 version, u16 reserved}, then attributes. Not thread-safe: one owner.
 */
public final class GenericNetlinkSocket implements AutoCloseable {
    public static final int GENL_HEADER_SIZE = 4;
    public static final int GENL_ID_CTRL = 0x10;
    public static final int CTRL_CMD_GETFAMILY = 3;
    public static final int CTRL_ATTR_FAMILY_ID = 1;
    public static final int CTRL_ATTR_FAMILY_NAME = 2;

    private final NetlinkSocket socket;
    private final Map<String, Integer> families = new HashMap<>();

    private GenericNetlinkSocket(NetlinkSocket socket) {
        this.socket = socket;
    }

    /** Opens the socket in the calling thread's network namespace. */
    public static GenericNetlinkSocket open() {
        return new GenericNetlinkSocket(NetlinkSocket.open(NetlinkSocket.NETLINK_GENERIC, 0));
    }

    /**
     * The id the kernel gave family {@code name} (e.g. {@code "IPVS"}, {@code "nlctrl"}), cached.
     *
     * @throws ErrnoException ENOENT when no such family is registered (for IPVS: module not loaded)
     */
    public int resolveFamily(String name) {
        Integer cached = families.get(name);
        if (cached != null) {
            return cached;
        }
        byte[] attrs = new NetlinkAttributeWriter().putString(CTRL_ATTR_FAMILY_NAME, name).toByteArray();
        List<byte[]> replies = request(GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 1, 0, attrs, "CTRL_CMD_GETFAMILY", name);
        if (replies.isEmpty()) {
            throw new ErrnoException("CTRL_CMD_GETFAMILY", name, 2, "no reply carried the family");
        }
        int id = NetlinkAttributes.parse(ByteBuffer.wrap(replies.get(0))).u16(CTRL_ATTR_FAMILY_ID);
        families.put(name, id);
        return id;
    }

    /**
     * Sends {@code cmd} to family {@code familyId} and returns the attribute bytes of every reply
     * message (what follows each reply's genlmsghdr), one entry per message. {@code flags} are extra
     * nlmsghdr flags: {@code NetlinkMessage.NLM_F_DUMP} for a dump (entries up to NLMSG_DONE); without
     * it the request is acked and any data replies before the ack are returned (often none).
     * {@code attributes} is a run of nlattrs as {@link NetlinkAttributeWriter} builds them.
     *
     * @throws ErrnoException naming {@code genl family F cmd C} when the kernel refuses
     */
    public List<byte[]> request(int familyId, int cmd, int version, int flags, byte[] attributes) {
        return request(familyId, cmd, version, flags, attributes, "genl family " + familyId + " cmd " + cmd, "");
    }

    /** As {@link #request(int, int, int, int, byte[])}, with the operation and object to name in errors. */
    public List<byte[]> request(int familyId, int cmd, int version, int flags, byte[] attributes, String operation, String object) {
        byte[] genl = {(byte) cmd, (byte) version, 0, 0};
        List<NetlinkMessage> replies = socket.request(familyId, flags, genl, attributes, operation, object);
        List<byte[]> out = new ArrayList<>(replies.size());
        for (NetlinkMessage m : replies) {
            ByteBuffer p = m.payload();
            if (p.limit() < GENL_HEADER_SIZE) {
                throw new IllegalArgumentException(operation + ": reply of " + p.limit() + " bytes lacks a genlmsghdr");
            }
            byte[] a = new byte[p.limit() - GENL_HEADER_SIZE];
            p.get(GENL_HEADER_SIZE, a);
            out.add(a);
        }
        return out;
    }

    public NetlinkSocket netlink() {
        return socket;
    }

    @Override
    public void close() {
        socket.close();
    }
}
