package org.lvsha.core.ipvs;

import java.util.Objects;

/** A destination as listed: its configuration plus the kernel's counters (§2.3 DEST_ATTR 7-12). */
public record DestinationStatus(Destination destination, int activeConns, int inactiveConns, int persistConns,
                                Stats stats, Rates rates) {
    public DestinationStatus {
        Objects.requireNonNull(destination, "destination");
        Objects.requireNonNull(stats, "stats");
        Objects.requireNonNull(rates, "rates");
    }

    public static DestinationStatus idle(Destination destination) {
        return new DestinationStatus(destination, 0, 0, 0, Stats.ZERO, Rates.ZERO);
    }
}
