package org.lvsha.health.event;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Logs every transition: down and quorum loss at WARN, the rest at INFO. */
public final class LoggingHealthEventListener implements HealthEventListener {
    private static final Logger LOG = LoggerFactory.getLogger("org.lvsha.health.events");

    @Override
    public void onEvent(HealthEvent e) {
        String where = e.realServerId() == null ? e.serviceId() : e.serviceId() + " " + e.realServerId();
        switch (e.kind()) {
            case SERVER_DOWN, QUORUM_LOST -> LOG.warn("{} {}: {}", e.kind(), where, e.detail());
            default -> LOG.info("{} {}: {}", e.kind(), where, e.detail());
        }
    }
}
