package org.lvsha.core.ipvs;

/** Tunnel checksum flags (§2.4: NOCSUM 0, CSUM 1, REMCSUM 2) with ipvsadm's option and listing names. */
public enum TunnelChecksum {
    NOCSUM(0, "--tun-nocsum", "-c"), CSUM(1, "--tun-csum", "+c"), REMCSUM(2, "--tun-remcsum", "r+c");

    private final int code;
    private final String ipvsadmOption;
    private final String infoName;

    TunnelChecksum(int code, String ipvsadmOption, String infoName) {
        this.code = code;
        this.ipvsadmOption = ipvsadmOption;
        this.infoName = infoName;
    }

    public int code() {
        return code;
    }

    public String ipvsadmOption() {
        return ipvsadmOption;
    }

    /** As shown in the {@code --tun-info} column. */
    public String infoName() {
        return infoName;
    }

    public static TunnelChecksum ofCode(int code) {
        for (TunnelChecksum t : values()) {
            if (t.code == code) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown tunnel flags " + code);
    }
}
