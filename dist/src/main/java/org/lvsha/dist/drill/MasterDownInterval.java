package org.lvsha.dist.drill;

import java.time.Duration;
import java.util.Locale;

/**
 * The bound a crash drill is judged against: how long a backup waits before it takes over when
 * the master falls silent, RFC 5798 §6.1: {@code Skew_Time = ((256 - Priority) * Master_Adver_Interval) / 256},
 * {@code Master_Down_Interval = 3 * Master_Adver_Interval + Skew_Time}. Priority is the backup's.
 * (The vrrp module owns the protocol; this copy of one formula only labels a report.)
 */
public record MasterDownInterval(Duration advertInterval, int backupPriority) {
    public MasterDownInterval {
        if (advertInterval.isNegative() || advertInterval.isZero()) {
            throw new IllegalArgumentException("advert interval must be positive, got " + advertInterval);
        }
        if (backupPriority < 1 || backupPriority > 254) {
            throw new IllegalArgumentException("a backup's priority is 1..254, got " + backupPriority);
        }
    }

    public Duration skewTime() {
        return Duration.ofNanos(advertInterval.toNanos() * (256 - backupPriority) / 256);
    }

    public Duration interval() {
        return advertInterval.multipliedBy(3).plus(skewTime());
    }

    /** E.g. {@code master-down interval (3 x 100 ms + skew 60.9 ms, priority 100)}. */
    public String describe() {
        return String.format(Locale.ROOT, "master-down interval (3 x %s + skew %.1f ms, priority %d)",
                label(advertInterval), skewTime().toNanos() / 1e6, backupPriority);
    }

    /**
     * Link-down bound for a sync group: the master's link tracking (read every {@code linkPoll}) faults its group,
     * whose priority 0 reaches the backup only on the links still up; the backup's member on the lost link waits
     * until the master's next advert there is half an interval overdue, then Skew_Time (the vrrp module's
     * {@code VrrpStateMachine.siblingPeerResigned}). From the link going down: max(1.5 x advert, link poll) + skew.
     */
    public Duration syncGroupTakeover(Duration linkPoll) {
        Duration wait = advertInterval.multipliedBy(3).dividedBy(2);
        return (linkPoll.compareTo(wait) > 0 ? linkPoll : wait).plus(skewTime());
    }

    /** E.g. {@code sync-group takeover (max(1.5 x 100 ms, link poll 100 ms) + skew 60.9 ms, priority 100)}. */
    public String describeSyncGroupTakeover(Duration linkPoll) {
        return String.format(Locale.ROOT, "sync-group takeover (max(1.5 x %s, link poll %s) + skew %.1f ms, priority %d)",
                label(advertInterval), label(linkPoll), skewTime().toNanos() / 1e6, backupPriority);
    }

    /** {@code 100 ms}, not {@code 100.0 ms}: a configured interval, not a measurement. */
    private static String label(Duration d) {
        return TextReport.ms(d.toNanos()).replace(".0 ms", " ms");
    }

    /** Crash expectation: client gap within the interval plus {@code tolerance}, long-lived connections survive. */
    public Expectation expectation(Duration tolerance) {
        return Expectation.gapWithin(describe(), interval(), tolerance);
    }
}
