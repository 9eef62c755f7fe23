package org.lvsha.core.ipvs;

/** GET_INFO reply (§2.3 IPVS_INFO_ATTR_*): version code (0x010201 = 1.2.1) and connection hash table size. */
public record IpvsInfo(int versionCode, int connTableSize) {
    public static final IpvsInfo KERNEL_DEFAULT = new IpvsInfo(0x010201, 4096);

    /** {@code 1.2.1}. */
    public String version() {
        return ((versionCode >> 16) & 0xff) + "." + ((versionCode >> 8) & 0xff) + "." + (versionCode & 0xff);
    }
}
