package org.lvsha.vrrp.config;

import java.util.List;

/** A configuration that cannot run; lists every problem found, each naming the instance or group. */
public final class ConfigException extends IllegalArgumentException {
    private final List<String> problems;

    public ConfigException(List<String> problems) {
        super(String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
