package org.lvsha.core.ipvs.admin;

/** A command line ipvsadm would refuse before talking to the kernel. */
public final class IpvsadmUsageException extends RuntimeException {
    public IpvsadmUsageException(String message) {
        super(message);
    }
}
