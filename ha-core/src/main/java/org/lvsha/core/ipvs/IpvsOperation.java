package org.lvsha.core.ipvs;

/**
 * The control operations, each with ipvsadm's error texts for it (libipvs {@code ipvs_strerror}, §2.1): the same
 * errno reads differently by operation, e.g. ESRCH is "No such service" for an edit but "Service not defined"
 * for a destination command.
 */
public enum IpvsOperation {
    ADD_SERVICE, EDIT_SERVICE, DELETE_SERVICE, ADD_DESTINATION, EDIT_DESTINATION, DELETE_DESTINATION,
    LIST_SERVICES, GET_SERVICE, LIST_DESTINATIONS, ZERO, FLUSH, GET_TIMEOUTS, SET_TIMEOUTS,
    START_DAEMON, STOP_DAEMON, LIST_DAEMONS, GET_INFO, LIST_CONNECTIONS;

    /** ipvsadm's message for this operation and errno; falls back to the generic table and then to strerror. */
    public String message(int errno) {
        String specific = switch (this) {
            case ADD_SERVICE -> errno == 17 ? "Service already exists"
                    : errno == 2 ? "Scheduler or persistence engine not found" : null;
            case EDIT_SERVICE -> errno == 3 ? "No such service"
                    : errno == 2 ? "Scheduler or persistence engine not found" : null;
            case DELETE_SERVICE, ZERO, LIST_SERVICES, LIST_DESTINATIONS, GET_SERVICE -> errno == 3 ? "No such service" : null;
            case ADD_DESTINATION -> errno == 3 ? "Service not defined" : errno == 17 ? "Destination already exists" : null;
            case EDIT_DESTINATION, DELETE_DESTINATION -> errno == 3 ? "Service not defined"
                    : errno == 2 ? "No such destination" : null;
            case START_DAEMON -> errno == 17 ? "Daemon has already run" : null;
            case STOP_DAEMON -> errno == 3 ? "No daemon is running" : null;
            default -> null;
        };
        if (specific != null) {
            return specific;
        }
        return switch (errno) {
            case 1 -> "Permission denied (you must be root)";
            case 22 -> "Invalid operation.  Possibly wrong module version, address not unicast, ...";
            case 92 -> "Protocol not available";
            case 12 -> "Memory allocation problem";
            case 95 -> "Operation not supported with IPv6";
            case 97 -> "Operation not supported with specified address family";
            case 90 -> "Module is wrong version";
            default -> Errno.textOf(errno);
        };
    }
}
