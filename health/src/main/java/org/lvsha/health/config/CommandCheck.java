package org.lvsha.health.config;

import java.util.List;

/**
 * Runs a program (no shell) off the event loop; exit 0 is success, 1 failure. With {@code dynamicWeight}
 * set to {@code exit}, exit codes 2..255 also mean success with weight {@code code - 2} (keepalived's
 * MISC_CHECK dynamic convention); with {@code stdout}, the first line of output may carry a weight
 * ({@code 37}) or a percentage of the configured weight ({@code 50%}). The process is killed (with its
 * descendants) when the timeout expires. {@code {rip}} and {@code {rport}} in arguments are replaced.
 */
public record CommandCheck(Integer port, CheckTiming timing, List<String> command, DynamicWeightSource dynamicWeight) implements CheckSpec {
    public enum DynamicWeightSource { none, exit, stdout }

    public CommandCheck {
        if (command == null || command.isEmpty()) {
            throw new IllegalArgumentException("a command check needs a command");
        }
        command = List.copyOf(command);
        dynamicWeight = dynamicWeight == null ? DynamicWeightSource.none : dynamicWeight;
    }

    @Override
    public String describe() {
        return "command:" + command.get(0);
    }
}
