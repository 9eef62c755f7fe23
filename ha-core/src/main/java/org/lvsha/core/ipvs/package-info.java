/**
 * IPVS control: the model (immutable records: {@link org.lvsha.core.ipvs.VirtualService},
 * {@link org.lvsha.core.ipvs.Destination}, {@link org.lvsha.core.ipvs.ConnectionEntry}, ...), the
 * {@link org.lvsha.core.ipvs.Ipvs} port, and {@link org.lvsha.core.ipvs.InMemoryIpvs}, an adapter that enforces
 * the kernel's rules and errnos (the base of the userspace data plane).
 *
 * <ul>
 *   <li>{@code sched} — the 14 kernel schedulers as pure, allocation-free code over a
 *       {@link org.lvsha.core.ipvs.sched.DestinationTable}.</li>
 *   <li>{@code kernel} — the IPVS generic-netlink codec (reference notes §2) and
 *       {@link org.lvsha.core.ipvs.kernel.KernelIpvs} over a {@link org.lvsha.core.ipvs.kernel.GenlTransport}.</li>
 *   <li>{@code admin} — ipvsadm 1.31's command line and byte-identical listings (§3), used by {@code lvsha ipvs}.</li>
 * </ul>
 */
package org.lvsha.core.ipvs;
