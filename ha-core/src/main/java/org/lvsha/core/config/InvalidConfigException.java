package org.lvsha.core.config;

import java.util.List;

/** A configuration refused: every problem found, each already {@code FILE:LINE:COLUMN: reason}. */
public final class InvalidConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient List<String> problems;

    public InvalidConfigException(List<String> problems) {
        super(problems.size() + " configuration problem(s):\n  " + String.join("\n  ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
