package org.lvsha.core.dataplane;

import java.net.InetAddress;
import java.util.Objects;

/**
 * A connection handed to the data plane from outside (connection sync on a backup, or a state transfer):
 * the kernel sync entry's fields (§1.3) that the userspace table keeps.
 *
 * @param flags          IP_VS_CONN_F_* (§1.6); FWD_MASK, INACTIVE, NOOUTPUT and TEMPLATE are honoured
 * @param state          §1.7 state number (TCP state, 0 for UDP and templates)
 * @param timeoutSeconds 0 = the protocol's timeout for the state (§1.10)
 */
public record SyncedConnection(int protocol, InetAddress clientAddress, int clientPort, InetAddress virtualAddress,
                               int virtualPort, InetAddress destinationAddress, int destinationPort, int flags,
                               int state, int timeoutSeconds) {
    public SyncedConnection {
        Objects.requireNonNull(clientAddress, "clientAddress");
        Objects.requireNonNull(virtualAddress, "virtualAddress");
        Objects.requireNonNull(destinationAddress, "destinationAddress");
    }

    public boolean template() {
        return (flags & ConnectionTable.FLAG_TEMPLATE) != 0;
    }
}
