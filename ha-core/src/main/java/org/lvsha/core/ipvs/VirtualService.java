package org.lvsha.core.ipvs;

import java.util.Objects;

/**
 * A virtual service as a complete object (§2.3, §2.5): every add or edit sends all of it.
 *
 * @param scheduler          scheduler name, e.g. {@code wlc}; {@code none} means no scheduler (§2.3)
 * @param schedulerFlags     {@link ServiceFlags#SCHED1}..{@link ServiceFlags#SCHED3} only
 * @param persistenceTimeout seconds; 0 = not persistent (the PERSISTENT flag is derived from it)
 * @param netmask            persistence granularity in the kernel's encoding: for IPv4 the 32-bit mask
 *                           ({@code 0xFFFFFF00} = 255.255.255.0), for IPv6 the prefix length 1..128
 * @param onePacket          one-packet scheduling ({@code -o}, ONEPACKET flag)
 * @param persistenceEngine  {@code ""} or a PE name such as {@code sip}
 */
public record VirtualService(ServiceKey key, String scheduler, int schedulerFlags, int persistenceTimeout,
                             int netmask, boolean onePacket, String persistenceEngine) {

    /** The ipvsadm default scheduler ({@code DEF_SCHED}). */
    public static final String DEFAULT_SCHEDULER = "wlc";
    /** {@code -p} without a value: 360 s in the code (the man page says 300), §2.5. */
    public static final int DEFAULT_PERSISTENCE_TIMEOUT = 360;

    public VirtualService {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(scheduler, "scheduler");
        Objects.requireNonNull(persistenceEngine, "persistenceEngine");
        if ((schedulerFlags & ~ServiceFlags.SCHED_MASK) != 0) {
            throw new IllegalArgumentException("schedulerFlags may only hold SCHED1..3: 0x" + Integer.toHexString(schedulerFlags));
        }
        if (persistenceTimeout < 0) {
            throw new IllegalArgumentException("persistence timeout must not be negative");
        }
        if (scheduler.length() > 15 || persistenceEngine.length() > 15) {
            throw new IllegalArgumentException("scheduler and PE names are at most 15 characters (§2.4)");
        }
    }

    /** A non-persistent service with the given scheduler and no flags. */
    public static VirtualService of(ServiceKey key, String scheduler) {
        return new VirtualService(key, scheduler, 0, 0, key.family().hostNetmask(), false, "");
    }

    public boolean persistent() {
        return persistenceTimeout > 0;
    }

    /** {@code IPVS_SVC_ATTR_FLAGS} value: PERSISTENT, ONEPACKET and the scheduler flags. */
    public int flags() {
        return (persistent() ? ServiceFlags.PERSISTENT : 0) | (onePacket ? ServiceFlags.ONEPACKET : 0) | schedulerFlags;
    }

    public VirtualService withScheduler(String name, int flags) {
        return new VirtualService(key, name, flags, persistenceTimeout, netmask, onePacket, persistenceEngine);
    }

    public VirtualService withPersistence(int timeout, int mask) {
        return new VirtualService(key, scheduler, schedulerFlags, timeout, mask, onePacket, persistenceEngine);
    }

    public VirtualService withOnePacket(boolean ops) {
        return new VirtualService(key, scheduler, schedulerFlags, persistenceTimeout, netmask, ops, persistenceEngine);
    }

    /** The IPv4 mask in dotted form, or the IPv6 prefix length, as ipvsadm prints after {@code mask}/{@code -M}. */
    public String netmaskText() {
        if (key.family() == AddressFamily.INET) {
            return ((netmask >>> 24) & 0xff) + "." + ((netmask >>> 16) & 0xff) + "." + ((netmask >>> 8) & 0xff) + "." + (netmask & 0xff);
        }
        return Integer.toString(netmask);
    }
}
