package org.lvsha.core.ipvs;

import java.util.List;
import java.util.Objects;

/** A virtual service as listed, with its destinations and statistics. */
public record ServiceStatus(VirtualService service, Stats stats, Rates rates, List<DestinationStatus> destinations) {
    public ServiceStatus {
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(stats, "stats");
        Objects.requireNonNull(rates, "rates");
        destinations = List.copyOf(destinations);
    }
}
