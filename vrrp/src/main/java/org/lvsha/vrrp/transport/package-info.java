/**
 * The network under a {@link org.lvsha.vrrp.node.VrrpNode}: {@link org.lvsha.vrrp.transport.RawSocketTransport}
 * sends and receives VRRP (IP protocol 112) over the platform layer's raw sockets, one per interface and
 * address family, polled by the node's own owner thread.
 */
package org.lvsha.vrrp.transport;
