/**
 * VRRP on a real network: the composition the daemon reuses and the commands around it.
 *
 * <ul>
 *   <li>{@link org.lvsha.dist.vrrp.VrrpRuntime}: raw-socket transport + rtnetlink addresses + hooks and event
 *       sinks + trackers + {@link org.lvsha.vrrp.node.VrrpNode}, started and stopped (gracefully) as one.</li>
 *   <li>{@link org.lvsha.dist.vrrp.VrrpConfigFile}: the YAML format, bound to {@link org.lvsha.vrrp.config.NodeConfig},
 *       every problem as {@code FILE:LINE: reason}.</li>
 *   <li>{@link org.lvsha.dist.vrrp.VrrpCommand} ({@code lvsha vrrp --config FILE}): a VRRP-only node in the
 *       foreground; SIGTERM = priority-0 advert and addresses removed.</li>
 *   <li>{@link org.lvsha.dist.vrrp.VrrpLab}: the DR lab network with {@code lvsha vrrp} nodes in the directors'
 *       namespaces, read through their status and events files (lab tests, benchmark).</li>
 *   <li>{@link org.lvsha.dist.vrrp.VrrpBenchCommand} ({@code lvsha bench vrrp}): crash failovers, soak.</li>
 * </ul>
 */
package org.lvsha.dist.vrrp;
