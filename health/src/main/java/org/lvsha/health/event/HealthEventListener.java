package org.lvsha.health.event;

/** Receives transitions; called on the engine's policy thread, so blocking delays further decisions (not probes). */
@FunctionalInterface
public interface HealthEventListener {
    void onEvent(HealthEvent event);

    HealthEventListener NONE = e -> { };
}
