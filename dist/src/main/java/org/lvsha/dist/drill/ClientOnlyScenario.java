package org.lvsha.dist.drill;

/**
 * A drill against a real deployment: the drill only sends traffic and measures; the operator
 * causes the event (a switchover, pulling a cable) while it runs. No director is touched or observed.
 */
public final class ClientOnlyScenario implements Scenario {
    private final String label;
    private final Expectation expectation;

    public ClientOnlyScenario(String label, Expectation expectation) {
        this.label = label;
        this.expectation = expectation;
    }

    @Override
    public String name() {
        return label;
    }

    @Override
    public String triggerDescription() {
        return "by the operator";
    }

    @Override
    public Expectation expectation() {
        return expectation;
    }

    @Override
    public boolean triggersItself() {
        return false;
    }

    @Override
    public void prepare(DrillContext context) {
        context.say("client-only drill '%s': trigger the event on the directors while the traffic runs", label);
    }

    @Override
    public void trigger(DrillContext context) {
    }

    @Override
    public void recover(DrillContext context) {
    }
}
