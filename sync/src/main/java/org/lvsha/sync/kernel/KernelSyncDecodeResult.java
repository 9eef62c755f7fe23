package org.lvsha.sync.kernel;

import java.util.List;

/**
 * The outcome of decoding one datagram: either a message (possibly with some entries skipped, each
 * with its reason) or a rejection of the whole datagram with a reason and a human-readable detail.
 */
public record KernelSyncDecodeResult(KernelSyncMessage message, KernelSyncRejection rejection, String detail,
                                     List<KernelSyncRejection> skippedEntries) {

    static KernelSyncDecodeResult rejected(KernelSyncRejection reason, String detail) {
        return new KernelSyncDecodeResult(null, reason, detail, List.of());
    }

    static KernelSyncDecodeResult accepted(KernelSyncMessage m, List<KernelSyncRejection> skipped) {
        return new KernelSyncDecodeResult(m, null, null, List.copyOf(skipped));
    }

    public boolean isAccepted() {
        return message != null;
    }
}
