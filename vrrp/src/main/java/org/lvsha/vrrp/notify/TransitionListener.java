package org.lvsha.vrrp.notify;

/** Where the node hands its transitions, on its own thread and in order. Must not block. */
@FunctionalInterface
public interface TransitionListener {
    void onTransition(TransitionEvent event);
}
