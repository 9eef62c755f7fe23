package org.lvsha.sync.kernel.relay;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Objects;

/**
 * The relay's side of the kernel sync daemons (reference notes §1.1).
 *
 * @param interfaceName the sync interface (both daemons' {@code --mcast-interface})
 * @param group         the kernel daemons' group (224.0.0.81 by default)
 * @param capturePort   the port the local kernel master sends to; in relay mode a port no kernel backup listens
 *                      on (8849 by default), so kernel masters and backups never talk directly
 * @param injectPort    the port the local kernel backup listens on (8848)
 * @param injectTtl     0: injected datagrams stay on this host (the default)
 * @param syncId        the kernel daemons' syncid; 0 accepts any on capture (as the kernel does) and sends 0
 * @param maxDatagram   at most the backup daemon's sync_maxlen (1472 for IPv4 by default)
 */
public record KernelRelaySettings(String interfaceName, InetAddress group, int capturePort, int injectPort, int injectTtl,
                                  int syncId, int maxDatagram) {
    public static final int DEFAULT_CAPTURE_PORT = 8849;
    public static final int KERNEL_PORT = 8848;

    public KernelRelaySettings {
        Objects.requireNonNull(interfaceName, "interfaceName");
        Objects.requireNonNull(group, "group");
        if (capturePort == injectPort) {
            // the kernel backups on the segment would hear the kernel master directly, and the relay adds nothing
            throw new IllegalArgumentException("capture and inject ports must differ in relay mode: " + capturePort);
        }
    }

    public static KernelRelaySettings defaults(String interfaceName, int syncId) {
        try {
            return new KernelRelaySettings(interfaceName, InetAddress.getByName("224.0.0.81"), DEFAULT_CAPTURE_PORT, KERNEL_PORT,
                    0, syncId, 1472);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
