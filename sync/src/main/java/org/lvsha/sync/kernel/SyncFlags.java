package org.lvsha.sync.kernel;

/** IPVS connection flags as used by the sync protocol (include/uapi/linux/ip_vs.h; reference notes §1.6). */
public final class SyncFlags {
    public static final int FWD_MASK = 0x0007;
    public static final int MASQ = 0;
    public static final int LOCALNODE = 1;
    public static final int TUNNEL = 2;
    public static final int DROUTE = 3;
    public static final int BYPASS = 4;
    public static final int SYNC = 0x0020;
    public static final int HASHED = 0x0040;
    public static final int NOOUTPUT = 0x0080;
    public static final int INACTIVE = 0x0100;
    public static final int OUT_SEQ = 0x0200;
    public static final int IN_SEQ = 0x0400;
    public static final int SEQ_MASK = 0x0600;
    public static final int NO_CPORT = 0x0800;
    public static final int TEMPLATE = 0x1000;
    public static final int ONE_PACKET = 0x2000;
    /** FWD_MASK|NOOUTPUT|INACTIVE|SEQ_MASK|NO_CPORT|TEMPLATE: what a v1 backup keeps. */
    public static final int BACKUP_MASK = 0x1F87;
    /** INACTIVE|SEQ_MASK: what a backup takes over when it updates an existing connection. */
    public static final int BACKUP_UPDATE_MASK = 0x0700;

    private SyncFlags() {
    }

    /**
     * The flags a backup applies for an entry received in {@code version}: v1 masks with
     * {@link #BACKUP_MASK}, v0 only clears HASHED; both set SYNC (ip_vs_sync.c ip_vs_process_message_v0/ip_vs_proc_sync_conn).
     */
    public static int onBackup(int version, int wireFlags) {
        int f = version == 0 ? (wireFlags & ~HASHED) : (wireFlags & BACKUP_MASK);
        return f | SYNC;
    }
}
