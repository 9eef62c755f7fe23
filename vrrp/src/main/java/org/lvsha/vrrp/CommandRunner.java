package org.lvsha.vrrp;

import java.time.Duration;
import java.util.List;

/** Runs an external command (tracking scripts, notify hooks); injected so policies are testable without processes. */
@FunctionalInterface
public interface CommandRunner {
    /** Exit code returned when the command did not finish in time (it is killed). */
    int TIMED_OUT = -1;
    /** Exit code returned when the command could not be started at all. */
    int NOT_STARTED = -2;

    int run(List<String> command, Duration timeout);
}
