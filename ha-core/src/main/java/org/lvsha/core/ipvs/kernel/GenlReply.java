package org.lvsha.core.ipvs.kernel;

import java.util.List;

/**
 * The outcome of one generic-netlink request: {@code errno} 0 and the reply messages, or a positive errno
 * from NLMSG_ERROR. Each message is the generic-netlink payload after the nlmsghdr: the 4-byte genlmsghdr
 * (cmd, version, reserved u16) followed by the attributes. Dumps yield one message per NLM_F_MULTI part;
 * NLMSG_DONE and the ack are not included.
 */
public record GenlReply(int errno, List<byte[]> messages) {
    public GenlReply {
        messages = List.copyOf(messages);
    }

    public static GenlReply ok(List<byte[]> messages) {
        return new GenlReply(0, messages);
    }

    public static GenlReply error(int errno) {
        return new GenlReply(errno, List.of());
    }
}
