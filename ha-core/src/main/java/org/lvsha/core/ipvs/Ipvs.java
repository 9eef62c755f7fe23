package org.lvsha.core.ipvs;

import java.net.InetAddress;
import java.util.List;
import java.util.Optional;

/**
 * The port through which the director programs its IPVS table: the kernel through generic netlink, or the
 * embedded userspace data plane. Every add and edit takes a complete object (ipvsadm semantics, §2.5).
 * Refusals throw {@link IpvsException} carrying the kernel's errno (EEXIST, ESRCH, ENOENT, ERANGE, EINVAL, ...)
 * and the object concerned; both adapters refuse the same things with the same errno.
 */
public interface Ipvs {

    /** NEW_SERVICE. EEXIST if present, ENOENT for an unknown scheduler or PE, EINVAL for a bad IPv6 prefix. */
    void addService(VirtualService service);

    /** SET_SERVICE, replacing every attribute. ESRCH if absent, ENOENT for an unknown scheduler or PE. */
    void editService(VirtualService service);

    /** DEL_SERVICE with its destinations. ESRCH if absent. */
    void deleteService(ServiceKey key);

    /** NEW_DEST. ESRCH without the service, EEXIST if present, ERANGE for a negative weight or lower &gt; upper threshold. */
    void addDestination(ServiceKey service, Destination destination);

    /** SET_DEST, replacing every attribute. ESRCH without the service, ENOENT without the destination. */
    void editDestination(ServiceKey service, Destination destination);

    /** DEL_DEST. ESRCH without the service, ENOENT without the destination. */
    void deleteDestination(ServiceKey service, InetAddress address, int port);

    /** GET_SERVICE dump plus a GET_DEST dump per service: everything with counters, in the adapter's order. */
    List<ServiceStatus> services();

    /** GET_SERVICE for one service, with its destinations; empty if absent. */
    Optional<ServiceStatus> service(ServiceKey key);

    /** ZERO of every counter. */
    void zero();

    /** ZERO of one service's counters. ESRCH if absent. */
    void zero(ServiceKey key);

    /** FLUSH: removes every service. */
    void flush();

    Timeouts timeouts();

    /** SET_CONFIG; a 0 keeps the current value. */
    void setTimeouts(Timeouts timeouts);

    /** NEW_DAEMON. EEXIST when a daemon of that state runs. */
    void startDaemon(SyncDaemon daemon);

    /** DEL_DAEMON. ESRCH when no daemon of that state runs. */
    void stopDaemon(SyncState state);

    /** GET_DAEMON: master first, then backup (§2.2). */
    List<SyncDaemon> daemons();

    /** The connection table (the kernel adapter reads /proc/net/ip_vs_conn, as ipvsadm -Lnc does, §2.5). */
    List<ConnectionEntry> connections();

    /** GET_INFO. */
    IpvsInfo info();
}
