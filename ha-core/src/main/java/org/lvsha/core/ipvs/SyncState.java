package org.lvsha.core.ipvs;

/** Sync daemon role ({@code IP_VS_STATE_MASTER} 1, {@code IP_VS_STATE_BACKUP} 2; §2.3). */
public enum SyncState {
    MASTER(1), BACKUP(2);

    private final int code;

    SyncState(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    public String ipvsadmName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static SyncState ofCode(int code) {
        for (SyncState s : values()) {
            if (s.code == code) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown sync daemon state " + code);
    }
}
