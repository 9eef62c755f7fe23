package org.lvsha.vrrp.proto;

import java.net.InetAddress;
import java.util.Objects;

/**
 * What the protocol core needs to know about its instance.
 *
 * @param version                 2 or 3
 * @param priority                configured priority 1–255 (255: address owner)
 * @param advertIntervalCentis    Advertisement_Interval in centiseconds (v2: seconds × 100)
 * @param preempt                 RFC 5798 Preempt_Mode
 * @param preemptDelayNanos       after startup (or leaving FAULT), lower-priority masters are tolerated this long (keepalived's preempt_delay)
 * @param primaryAddress          this node's primary address on the interface: the IP source of its adverts
 * @param syncGrouped             member of a sync group: going master needs the group's consent
 * @param reannounceMinGapNanos   a master that hears a lower-priority advert answers at most once per this gap
 */
public record MachineParams(int version, int priority, int advertIntervalCentis, boolean preempt, long preemptDelayNanos,
                            InetAddress primaryAddress, boolean syncGrouped, long reannounceMinGapNanos) {
    public MachineParams {
        if (version != 2 && version != 3) {
            throw new IllegalArgumentException("version " + version);
        }
        if (priority < 1 || priority > 255) {
            throw new IllegalArgumentException("priority out of 1-255: " + priority);
        }
        if (advertIntervalCentis < 1) {
            throw new IllegalArgumentException("advert interval " + advertIntervalCentis);
        }
        Objects.requireNonNull(primaryAddress, "primaryAddress");
    }

    public boolean owner() {
        return priority == 255;
    }
}
