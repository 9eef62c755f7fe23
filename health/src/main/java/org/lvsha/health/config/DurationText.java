package org.lvsha.health.config;

import java.time.Duration;
import java.util.Locale;

/** Parses durations as operators write them: {@code 250ms}, {@code 2s}, {@code 1m}, {@code 1h}, or ISO-8601 ({@code PT2S}). */
public final class DurationText {
    private DurationText() {
    }

    public static Duration parse(String text) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        try {
            if (t.startsWith("pt") || t.startsWith("p")) {
                return Duration.parse(text.strip());
            }
            if (t.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2).strip()));
            }
            if (t.endsWith("us")) {
                return Duration.ofNanos(Long.parseLong(t.substring(0, t.length() - 2).strip()) * 1000);
            }
            char unit = t.charAt(t.length() - 1);
            String number = t.substring(0, t.length() - 1).strip();
            return switch (unit) {
                case 's' -> Duration.ofMillis(Math.round(Double.parseDouble(number) * 1000));
                case 'm' -> Duration.ofSeconds(Long.parseLong(number) * 60);
                case 'h' -> Duration.ofHours(Long.parseLong(number));
                default -> throw new IllegalArgumentException("duration needs a unit (ms, s, m, h): " + text);
            };
        } catch (RuntimeException e) {
            if (e instanceof IllegalArgumentException && e.getMessage() != null && e.getMessage().startsWith("duration")) {
                throw e;
            }
            throw new IllegalArgumentException("not a duration (use 250ms, 2s, 1m): " + text, e);
        }
    }
}
