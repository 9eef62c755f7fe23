package org.lvsha.dist.drill;

import java.io.PrintWriter;

/** What a {@link Scenario} step gets: the run's timeline (for extra markers) and where to say what it is doing. */
public record DrillContext(Timeline timeline, PrintWriter progress) {
    public void say(String fmt, Object... args) {
        progress.printf(java.util.Locale.ROOT, fmt + "%n", args);
        progress.flush();
    }
}
