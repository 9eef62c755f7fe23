package org.lvsha.core.ipvs;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.lvsha.core.ipvs.kernel.KernelIpvs;
import org.lvsha.core.ipvs.kernel.NetlinkGenlTransport;

/**
 * The {@link IpvsContract} against the real kernel, through {@link KernelIpvs} over the platform's generic
 * netlink socket. It runs only inside a kernel-vm guest, where {@code KernelInteropDriver} launches it (its
 * name does not end in Test, so surefire on the host never picks it up; the assumption is a second guard
 * against flushing a real director's table).
 */
public class KernelIpvsGuestContract extends IpvsContract {

    @Override
    protected Ipvs newIpvs() {
        assumeTrue(System.getenv("KERNEL_VM") != null, "runs only inside a kernel-vm guest");
        return new KernelIpvs(NetlinkGenlTransport.open());
    }
}
