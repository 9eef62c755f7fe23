package org.lvsha.vrrp.node;

import org.lvsha.vrrp.codec.IpFacts;

/** A VRRP payload as the transport received it, with the IP-level facts. The node owns {@code payload} once handed over. */
public record ReceivedDatagram(String interfaceName, IpFacts facts, byte[] payload, int offset, int length) {
}
