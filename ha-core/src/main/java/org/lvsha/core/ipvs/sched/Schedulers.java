package org.lvsha.core.ipvs.sched;

import java.util.List;

import org.lvsha.core.ipvs.ServiceFlags;

/** The scheduler names the kernel ships (§4) and a factory for per-service instances. */
public final class Schedulers {

    public static final List<String> NAMES = List.of(
            "rr", "wrr", "lc", "wlc", "sed", "nq", "sh", "dh", "lblc", "lblcr", "mh", "fo", "ovf", "twos");

    private Schedulers() {
    }

    public static boolean isKnown(String name) {
        return NAMES.contains(name);
    }

    /**
     * A new scheduler for a service with the given {@code IP_VS_SVC_F_*} flags (only SCHED1/SCHED2 matter, for
     * sh and mh). Call {@link Scheduler#destinationsChanged} before the first {@link Scheduler#select}.
     */
    public static Scheduler create(String name, int serviceFlags) {
        boolean flag1 = (serviceFlags & ServiceFlags.SCHED1) != 0;
        boolean flag2 = (serviceFlags & ServiceFlags.SCHED2) != 0;
        return switch (name) {
            case "rr" -> new RoundRobinScheduler();
            case "wrr" -> new WeightedRoundRobinScheduler();
            case "lc" -> new LeastConnectionScheduler();
            case "wlc" -> new WeightedLeastConnectionScheduler();
            case "sed" -> new ShortestExpectedDelayScheduler();
            case "nq" -> new NeverQueueScheduler();
            case "sh" -> new SourceHashingScheduler(flag1, flag2);
            case "dh" -> new DestinationHashingScheduler();
            case "lblc" -> new LocalityBasedLeastConnectionScheduler();
            case "lblcr" -> new LocalityBasedLeastConnectionReplicationScheduler();
            case "mh" -> new MaglevHashingScheduler(flag1, flag2);
            case "fo" -> new WeightedFailoverScheduler();
            case "ovf" -> new WeightedOverflowScheduler();
            case "twos" -> new PowerOfTwoChoicesScheduler(System.nanoTime());
            default -> throw new IllegalArgumentException("unknown scheduler " + name);
        };
    }
}
