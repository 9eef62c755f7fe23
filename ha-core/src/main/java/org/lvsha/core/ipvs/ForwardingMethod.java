package org.lvsha.core.ipvs;

/** Forwarding methods, numbered as {@code IP_VS_CONN_F_FWD_MASK} values (§1.6, §2.3 FWD_METHOD). */
public enum ForwardingMethod {
    MASQ(0, "Masq", "-m"),
    LOCAL(1, "Local", "-g"),
    TUNNEL(2, "Tunnel", "-i"),
    ROUTE(3, "Route", "-g"),
    BYPASS(4, "Bypass", "-g");

    private final int code;
    private final String listName;
    private final String ipvsadmSwitch;

    ForwardingMethod(int code, String listName, String ipvsadmSwitch) {
        this.code = code;
        this.listName = listName;
        this.ipvsadmSwitch = ipvsadmSwitch;
    }

    public int code() {
        return code;
    }

    /** The Forward column of {@code ipvsadm -Ln}. */
    public String listName() {
        return listName;
    }

    /** The switch {@code ipvsadm -S} writes; LOCALNODE is saved as {@code -g} (§3.4). */
    public String ipvsadmSwitch() {
        return ipvsadmSwitch;
    }

    /** The kernel masks the method with 0x7 (§2.3). */
    public static ForwardingMethod ofCode(int code) {
        int c = code & 0x7;
        for (ForwardingMethod m : values()) {
            if (m.code == c) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown forwarding method " + code);
    }
}
