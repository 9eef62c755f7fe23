package org.lvsha.core.config;

import java.util.ArrayList;
import java.util.List;

/**
 * Collects validation problems against a {@link LocatedYaml} so that all of them are reported at once. A path
 * that has no node of its own (a missing key) is reported at its nearest existing parent.
 */
public final class ConfigProblems {
    private final LocatedYaml yaml;
    private final List<String> problems = new ArrayList<>();

    public ConfigProblems(LocatedYaml yaml) {
        this.yaml = yaml;
    }

    /** @param path a {@link LocatedYaml} path such as {@code ipvs.services[0].port} */
    public void add(String path, String reason) {
        problems.add(yaml.locate(path) + ": " + reason);
    }

    /** A problem already carrying its location. */
    public void addLocated(String problem) {
        problems.add(problem);
    }

    public boolean isEmpty() {
        return problems.isEmpty();
    }

    public int size() {
        return problems.size();
    }

    public List<String> list() {
        return List.copyOf(problems);
    }

    /** Throws {@link InvalidConfigException} with every problem if there is any. */
    public void throwIfAny() {
        if (!problems.isEmpty()) {
            throw new InvalidConfigException(problems);
        }
    }
}
