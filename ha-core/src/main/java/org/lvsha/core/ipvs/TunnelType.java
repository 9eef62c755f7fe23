package org.lvsha.core.ipvs;

/** Tunnel encapsulations for TUN destinations (§2.4: IPIP 0, GUE 1, GRE 2). */
public enum TunnelType {
    IPIP(0, "ipip"), GUE(1, "gue"), GRE(2, "gre");

    private final int code;
    private final String ipvsadmName;

    TunnelType(int code, String ipvsadmName) {
        this.code = code;
        this.ipvsadmName = ipvsadmName;
    }

    public int code() {
        return code;
    }

    public String ipvsadmName() {
        return ipvsadmName;
    }

    public static TunnelType ofCode(int code) {
        for (TunnelType t : values()) {
            if (t.code == code) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown tunnel type " + code);
    }

    public static TunnelType ofName(String name) {
        for (TunnelType t : values()) {
            if (t.ipvsadmName.equals(name)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown tunnel type " + name);
    }
}
