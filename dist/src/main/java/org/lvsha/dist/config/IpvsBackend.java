package org.lvsha.dist.config;

/** Which {@code Ipvs} adapter programs the table. */
public enum IpvsBackend {
    /** Kernel when {@code ip_vs} is available, else userspace (SPEC: Architecture). */
    AUTO,
    KERNEL,
    USERSPACE,
    /**
     * The table in memory only, forwarding nothing: VRRP and health checks work, traffic does not. For
     * tests and dry runs; never chosen by {@code auto}.
     */
    MEMORY
}
