package org.lvsha.core.ipvs;

/** The transport protocols a virtual service can be defined on (§2.3 {@code IPVS_SVC_ATTR_PROTOCOL}). */
public enum IpProtocol {
    TCP(6, "-t"),
    UDP(17, "-u"),
    SCTP(132, "--sctp-service");

    private final int number;
    private final String ipvsadmOption;

    IpProtocol(int number, String ipvsadmOption) {
        this.number = number;
        this.ipvsadmOption = ipvsadmOption;
    }

    /** The IANA protocol number sent in {@code IPVS_SVC_ATTR_PROTOCOL}. */
    public int number() {
        return number;
    }

    /** The ipvsadm option that names a service of this protocol ({@code -t}, {@code -u}, {@code --sctp-service}). */
    public String ipvsadmOption() {
        return ipvsadmOption;
    }

    public static IpProtocol ofNumber(int number) {
        for (IpProtocol p : values()) {
            if (p.number == number) {
                return p;
            }
        }
        throw new IllegalArgumentException("unsupported IP protocol " + number);
    }
}
