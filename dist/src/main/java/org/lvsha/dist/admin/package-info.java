/**
 * The director's admin endpoint: {@link org.lvsha.dist.admin.AdminServer} (Netty HTTP, loopback by default) with
 * {@code GET /status} ({@link org.lvsha.dist.admin.StatusReport}), {@code GET /metrics}
 * ({@link org.lvsha.dist.admin.DirectorMetrics}, Prometheus text via Micrometer) and the operator actions, and
 * {@link org.lvsha.dist.admin.AdminClient}, which {@code lvsha status|failover|reload} use to talk to it.
 */
package org.lvsha.dist.admin;
