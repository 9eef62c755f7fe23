package org.lvsha.sync.kernel;

/**
 * Why a kernel sync datagram, or one entry inside an otherwise valid datagram, was not applied.
 * Datagram-level reasons reject the whole datagram (nothing of it is applied); entry-level reasons
 * skip one entry, as the kernel does for the same cases.
 */
public enum KernelSyncRejection {
    // whole datagram
    TRUNCATED_HEADER(true),
    SIZE_MISMATCH(true),
    SYNC_ID_MISMATCH(true),
    UNKNOWN_VERSION(true),
    BAD_HEADER(true),
    NO_ENTRIES(true),
    TOO_MANY_ENTRIES(true),
    ENTRY_TRUNCATED(true),
    BAD_ENTRY_TYPE(true),
    BAD_ENTRY_VERSION(true),
    ENTRY_TOO_SHORT(true),
    ENTRY_OVERRUN(true),
    BAD_OPTION_LENGTH(true),
    BAD_SEQ_OPTION(true),
    TRAILING_BYTES(true),
    // one entry
    UNSUPPORTED_PROTOCOL(false),
    INVALID_STATE(false),
    UNKNOWN_MANDATORY_OPTION(false),
    BAD_PE_OPTION(false);

    private final boolean wholeDatagram;

    KernelSyncRejection(boolean wholeDatagram) {
        this.wholeDatagram = wholeDatagram;
    }

    public boolean wholeDatagram() {
        return wholeDatagram;
    }
}
