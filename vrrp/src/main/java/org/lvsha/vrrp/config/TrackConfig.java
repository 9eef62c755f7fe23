package org.lvsha.vrrp.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Something whose health moves an instance's priority or puts it in FAULT (keepalived semantics):
 * weight 0 means failure is FAULT; a positive weight is added while the object is healthy; a negative
 * weight is added while it has failed. A file's weight multiplies the number it holds.
 */
public sealed interface TrackConfig {
    int weight();

    String describe();

    /** Link state of an interface. */
    record Interface(String interfaceName, int weight) implements TrackConfig {
        public String describe() {
            return "interface " + interfaceName;
        }
    }

    /** A command: exit 0 is success; a timeout is a failure. Rise/fall successive results change its state. */
    record Script(String name, List<String> command, Duration interval, Duration timeout, int rise, int fall, int weight)
            implements TrackConfig {
        public Script {
            command = List.copyOf(command);
        }

        public String describe() {
            return "script " + name;
        }
    }

    /** A file holding an integer. */
    record File(Path path, Duration interval, int weight) implements TrackConfig {
        public String describe() {
            return "file " + path;
        }
    }
}
