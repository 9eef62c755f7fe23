package org.lvsha.vrrp.notify;

/** A consumer of the ordered event stream; runs on the stream's single writer thread. */
@FunctionalInterface
public interface EventSink {
    void accept(TransitionEvent event) throws Exception;
}
