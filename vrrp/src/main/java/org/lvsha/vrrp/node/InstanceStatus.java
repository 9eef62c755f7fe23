package org.lvsha.vrrp.node;

import java.net.InetAddress;
import org.lvsha.vrrp.proto.State;

/** A snapshot of one instance, published by the node thread after every step. */
public record InstanceStatus(String name, int vrid, State state, int priority, InetAddress masterAddress, int masterPriority,
                             int masterAdverIntervalCentis, boolean acceptMode, boolean fault, String group) {
}
