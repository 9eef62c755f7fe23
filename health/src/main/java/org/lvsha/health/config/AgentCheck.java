package org.lvsha.health.config;

/**
 * Connects to the real server's agent port and reads one line (HAProxy agent-check convention): words
 * separated by commas or spaces among {@code NN%} (weight as a percentage of the configured weight),
 * {@code up}/{@code ready}, {@code down}/{@code fail}/{@code stopped}, {@code drain}, {@code maint}.
 * An optional {@code send} line is written first. When the agent cannot be reached the server keeps its
 * last agent state unless {@code unreachableIsFailure} is set, as HAProxy does.
 */
public record AgentCheck(Integer port, CheckTiming timing, String send, Boolean unreachableIsFailure) implements CheckSpec {
    public AgentCheck {
        if (port == null) {
            throw new IllegalArgumentException("an agent check needs the agent's port");
        }
        unreachableIsFailure = unreachableIsFailure != null && unreachableIsFailure;
    }

    @Override
    public String describe() {
        return "agent:" + port;
    }
}
