package org.lvsha.core.ipvs.admin;

import org.lvsha.core.ipvs.Destination;
import org.lvsha.core.ipvs.ServiceKey;
import org.lvsha.core.ipvs.SyncDaemon;
import org.lvsha.core.ipvs.SyncState;
import org.lvsha.core.ipvs.Timeouts;
import org.lvsha.core.ipvs.VirtualService;

/**
 * One parsed ipvsadm command line, with ipvsadm's defaults already filled in (§2.5): a complete service for
 * -A/-E, a complete destination for -a/-e. Fields a command does not use are null.
 */
public record IpvsadmCommand(Kind kind, ServiceKey serviceKey, VirtualService service, Destination destination,
                             Timeouts timeouts, SyncDaemon daemon, SyncState daemonState, ListFormat format) {

    public enum Kind {
        ADD_SERVICE, EDIT_SERVICE, DELETE_SERVICE, FLUSH, LIST, ADD_SERVER, EDIT_SERVER, DELETE_SERVER,
        SET_TIMEOUTS, START_DAEMON, STOP_DAEMON, RESTORE, SAVE, ZERO, HELP, VERSION
    }
}
