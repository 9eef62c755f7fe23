package org.lvsha.core.platform.rtnl;

/** RFC 2863 operational state as the kernel reports it in IFLA_OPERSTATE (linux/if.h, IF_OPER_*). */
public enum OperState {
    UNKNOWN, NOTPRESENT, DOWN, LOWERLAYERDOWN, TESTING, DORMANT, UP;

    public static OperState of(int value) {
        OperState[] all = values();
        return value >= 0 && value < all.length ? all[value] : UNKNOWN;
    }
}
