package org.lvsha.dist.drill;

/**
 * Watches the directors during a drill and feeds what they do (VRRP transitions, sync lag) into
 * the run's {@link Timeline}, e.g. by following a daemon's event stream or admin API. A scenario
 * supplies its observers; a client-only drill has none. {@link #start} is called before the
 * traffic starts and {@link #close} after it ended; both must return promptly (bounded).
 */
public interface DirectorObserver extends AutoCloseable {
    void start(Timeline timeline);

    @Override
    void close();
}
