package org.lvsha.sync.kernel;

import java.io.IOException;

/**
 * Sends one kernel sync datagram to the kernel backup daemon's group (224.0.0.81:8848 by default,
 * TTL 1, from the sync interface). The socket lives in the platform layer; this is the seam.
 */
@FunctionalInterface
public interface KernelSyncSender {
    void send(byte[] datagram) throws IOException;
}
