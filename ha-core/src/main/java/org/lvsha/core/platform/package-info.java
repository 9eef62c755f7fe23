/**
 * The Linux platform layer: thin, typed wrappers over libc (bound with jnr-ffi) for what a director
 * needs from the kernel.
 *
 * <ul>
 *   <li>{@link org.lvsha.core.platform.LibC} / {@link org.lvsha.core.platform.Native}: the binding and
 *       the header constants jnr-constants lacks; {@link org.lvsha.core.platform.Errno} and
 *       {@link org.lvsha.core.platform.ErrnoException} turn failures into "operation object: ENAME (text)".</li>
 *   <li>{@link org.lvsha.core.platform.LinuxSocket}: an owned fd with options, O_NONBLOCK and poll;
 *       the typed sockets are built on it and expose it for event loops.</li>
 *   <li>{@code netlink}: message/attribute codec, {@code NetlinkSocket} (request → ack, dumps, events),
 *       {@code GenericNetlinkSocket} (family lookup, bytes-in/bytes-out requests).</li>
 *   <li>{@code rtnl}: links, addresses, neighbours, link events, and {@code LinuxAddressManager}.</li>
 *   <li>{@code raw}: protocol-112 (VRRP) raw sockets for IPv4 and IPv6.</li>
 *   <li>{@code packet}: AF_PACKET frames, BPF filters, gratuitous ARP and unsolicited NA builders.</li>
 * </ul>
 *
 * <p><b>Namespaces.</b> {@link org.lvsha.core.platform.NetworkNamespace} moves one thread into a named
 * namespace. Every socket belongs to the namespace of the thread that created it, for life; so does
 * {@code if_nametoindex}'s answer. Open a node's sockets inside its namespace, then use them anywhere.
 *
 * <p><b>Threads.</b> Sockets are not thread-safe: one owner thread each (LinuxAddressManager is the
 * exception and synchronizes). Struct layouts assume 64-bit Linux (checked when libc is loaded).
 */
package org.lvsha.core.platform;
