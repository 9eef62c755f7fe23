package org.lvsha.dist.drill;

/**
 * Something that happened outside the client during a drill, stamped on the same monotonic clock
 * as the {@link TrafficLog} ({@link System#nanoTime()}, CLOCK_MONOTONIC: comparable across the
 * processes of one host, which is what the lab is; a real deployment's directors are other hosts,
 * so client-only drills carry only what the client saw).
 */
public sealed interface TimelineEvent {
    long atNanos();

    /** VRRP roles as the drill reports them (the daemon maps its own states onto these). */
    enum VrrpRole { INIT, BACKUP, MASTER, FAULT }

    /** A VRRP instance on {@code node} changed role. */
    record VrrpTransition(long atNanos, String node, int vrid, VrrpRole from, VrrpRole to) implements TimelineEvent {
    }

    /** The sync replica on {@code node} was {@code lagNanos} behind its master at {@code atNanos}. */
    record SyncLag(long atNanos, String node, long lagNanos) implements TimelineEvent {
    }

    /**
     * The VIP appeared on ({@code present}) or vanished from a director's interface, as the
     * kernel reported it: where the VIP really was, whatever the daemons believed.
     */
    record VipAddress(long atNanos, String node, String address, boolean present) implements TimelineEvent {
    }

    /** A scenario step (prepare done, trigger, recover) or anything else worth a marker on the plot. */
    record Marker(long atNanos, String label) implements TimelineEvent {
    }
}
