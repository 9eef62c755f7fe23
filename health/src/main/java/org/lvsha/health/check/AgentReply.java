package org.lvsha.health.check;

import java.util.Locale;

/**
 * Parses an agent's one-line reply (HAProxy's agent-check words): {@code 75%}, {@code up}, {@code ready},
 * {@code down}, {@code fail}, {@code stopped}, {@code drain}, {@code maint}, separated by commas, spaces
 * or tabs, in any combination such as {@code "up, 50%"} or {@code "drain"}. Unknown words are ignored so
 * agents may carry extra text (HAProxy allows a {@code #} comment after the words; so do we).
 */
public final class AgentReply {
    private AgentReply() {
    }

    public static CheckResult parse(String line) {
        String text = line;
        int hash = text.indexOf('#');
        if (hash >= 0) {
            text = text.substring(0, hash);
        }
        DynamicWeight weight = null;
        AgentAdmin admin = null;
        boolean down = false;
        for (String raw : text.strip().split("[,\\s]+")) {
            String w = raw.toLowerCase(Locale.ROOT);
            if (w.isEmpty()) {
                continue;
            }
            if (w.endsWith("%")) {
                try {
                    int pct = Integer.parseInt(w.substring(0, w.length() - 1));
                    weight = DynamicWeight.percentOf(Math.max(0, pct));
                } catch (NumberFormatException e) {
                    // not a percentage: ignored like any unknown word
                }
                continue;
            }
            switch (w) {
                case "up", "ready" -> {
                    down = false;
                    admin = AgentAdmin.READY;
                }
                case "down", "fail", "failed", "stopped" -> down = true;
                case "drain" -> admin = AgentAdmin.DRAIN;
                case "maint" -> admin = AgentAdmin.MAINT;
                default -> {
                    // unknown word: ignored
                }
            }
        }
        String detail = "agent: " + line.strip();
        if (down) {
            return new CheckResult(CheckResult.Verdict.DOWN, FailureReason.AGENT_DOWN, detail, weight, admin);
        }
        return CheckResult.up(detail, weight, admin);
    }
}
