package org.lvsha.vrrp.address;

import org.lvsha.vrrp.config.AnnounceConfig;

/**
 * When to send gratuitous ARPs / unsolicited NAs while master: a burst on taking over (RFC 5798 §6.4.1
 * / §6.4.2 "broadcast a gratuitous ARP"), a second burst after a delay for neighbours that missed the
 * first (switch ports still learning), then an optional periodic refresh. Pure: deadlines in, counts out.
 */
public final class AnnounceSchedule {
    private static final long NONE = Long.MAX_VALUE;
    private final AnnounceConfig c;
    private long repeatAt = NONE;
    private long refreshAt = NONE;

    public AnnounceSchedule(AnnounceConfig config) {
        this.c = config;
    }

    /** Starts (or restarts) the plan; returns how many announcements per address to send now. */
    public int start(long now) {
        repeatAt = c.repeatBurst() > 0 ? now + c.repeatDelay().toNanos() : NONE;
        refreshAt = c.refreshInterval().isZero() ? NONE : now + c.refreshInterval().toNanos();
        return c.burst();
    }

    /** Announcements per address due at {@code now} (0 if none), advancing the plan. */
    public int due(long now) {
        int n = 0;
        if (repeatAt != NONE && now >= repeatAt) {
            repeatAt = NONE;
            n += c.repeatBurst();
        }
        if (refreshAt != NONE && now >= refreshAt) {
            refreshAt = now + c.refreshInterval().toNanos();
            n += 1;
        }
        return n;
    }

    public void stop() {
        repeatAt = NONE;
        refreshAt = NONE;
    }

    public long nextDeadline() {
        return Math.min(repeatAt, refreshAt);
    }
}
