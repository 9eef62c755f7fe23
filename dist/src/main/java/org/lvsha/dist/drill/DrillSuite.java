package org.lvsha.dist.drill;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Several scenarios one after the other ({@code --scenario all}): each gets its own
 * {@link DrillRun}; one that cannot run (its step threw) is reported as such and the others
 * still run, so a report always comes out. An interrupt stops the suite.
 */
public final class DrillSuite {
    /** A scenario that did not produce a result, and why. */
    public record Failure(String scenario, String error) {
    }

    public record Outcome(List<DrillResult> results, List<Failure> failures) {
        public Outcome {
            results = List.copyOf(results);
            failures = List.copyOf(failures);
        }
    }

    private DrillSuite() {
    }

    public static Outcome run(List<Scenario> scenarios, Function<Scenario, DrillRun> runFor, PrintWriter progress)
            throws InterruptedException {
        List<DrillResult> results = new ArrayList<>();
        List<Failure> failures = new ArrayList<>();
        for (Scenario s : scenarios) {
            try {
                results.add(runFor.apply(s).run());
            } catch (InterruptedException e) {
                throw e;
            } catch (Exception e) {
                String why = e.getMessage() == null ? e.toString() : e.getMessage();
                failures.add(new Failure(s.name(), why));
                progress.printf("%s: could not run: %s%n", s.name(), why);
                progress.flush();
            }
        }
        return new Outcome(results, failures);
    }
}
