package org.lvsha.core.platform.packet;

/** ETH_P_* protocol numbers (linux/if_ether.h) that jnr-constants lacks. */
public final class EtherType {
    public static final int ETH_P_ALL = 0x0003;
    public static final int ETH_P_IP = 0x0800;
    public static final int ETH_P_ARP = 0x0806;
    public static final int ETH_P_IPV6 = 0x86DD;

    private EtherType() {
    }
}
