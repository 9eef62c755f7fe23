package org.lvsha.health.event;

/** Receives transitions; called on the engine's policy loop, so it must not block. */
@FunctionalInterface
public interface HealthEventListener {
    void onEvent(HealthEvent event);

    HealthEventListener NONE = e -> { };
}
