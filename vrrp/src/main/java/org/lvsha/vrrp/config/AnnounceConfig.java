package org.lvsha.vrrp.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Gratuitous ARP / unsolicited NA plan on becoming master: {@code burst} announcements per address at
 * once, {@code repeatBurst} more after {@code repeatDelay} (keepalived's garp_master_delay/repeat), then
 * optionally one every {@code refreshInterval} while master (zero: off).
 */
public record AnnounceConfig(int burst, Duration repeatDelay, int repeatBurst, Duration refreshInterval) {
    public static final AnnounceConfig DEFAULT = new AnnounceConfig(5, Duration.ofSeconds(5), 5, Duration.ZERO);

    public AnnounceConfig {
        List<String> p = new ArrayList<>();
        if (burst < 1 || burst > 100) {
            p.add("announce burst " + burst + " out of 1-100");
        }
        if (repeatBurst < 0 || repeatBurst > 100) {
            p.add("announce repeat burst " + repeatBurst + " out of 0-100");
        }
        if (repeatDelay == null || repeatDelay.isNegative()) {
            p.add("announce repeat delay must be >= 0");
        }
        if (refreshInterval == null || refreshInterval.isNegative()) {
            p.add("announce refresh interval must be >= 0");
        }
        if (!p.isEmpty()) {
            throw new ConfigException(p);
        }
    }
}
