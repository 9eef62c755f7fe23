package org.lvsha.sync.kernel;

import java.util.List;

/** A decoded kernel sync datagram: protocol version (0 or 1), the sender's sync id and its entries. */
public record KernelSyncMessage(int version, int syncId, List<KernelSyncConnection> connections) {
    public KernelSyncMessage {
        connections = List.copyOf(connections);
    }
}
