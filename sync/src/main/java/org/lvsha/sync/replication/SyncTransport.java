package org.lvsha.sync.replication;

/** How the sync channel reaches its peers. */
public enum SyncTransport {
    /** UDP with IP multicast on one segment (the default): mcast_addr/port per cluster, TTL 1. */
    MULTICAST,
    /** TCP with a configured peer list (TCPPING), for networks without multicast. */
    TCP,
    /** In-process only (JGroups SHARED_LOOPBACK): tests and benchmarks with several members in one JVM. */
    SHARED_LOOPBACK
}
