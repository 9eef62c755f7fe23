package org.lvsha.core.platform.netlink;

import org.lvsha.core.platform.ErrnoException;

/**
 * The kernel answered a netlink request with an error: an NLMSG_ERROR carrying a negative errno, or a dump
 * ending in an NLMSG_DONE that carries one. Unlike its parent, which also covers failed system calls and
 * timeouts, this one means the request reached the kernel and was refused, so a protocol adapter may
 * translate the errno into its own vocabulary (e.g. IPVS's "Service already exists" for EEXIST).
 */
public final class NetlinkErrorException extends ErrnoException {
    private static final long serialVersionUID = 1L;

    public NetlinkErrorException(String operation, String object, int errno, String kernelMessage) {
        super(operation, object, errno, kernelMessage);
    }
}
