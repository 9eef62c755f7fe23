package org.lvsha.health.config;

import com.fasterxml.jackson.annotation.JsonCreator;

/** An inclusive range of HTTP status codes; binds from {@code "200-399"} or {@code "204"} or {@code 204}. */
public record StatusRange(int from, int to) {
    public StatusRange {
        if (from < 100 || to > 599 || from > to) {
            throw new IllegalArgumentException("status range must lie within 100-599 and be ascending: " + from + "-" + to);
        }
    }

    @JsonCreator
    public static StatusRange parse(String text) {
        String t = text.strip();
        int dash = t.indexOf('-');
        try {
            if (dash < 0) {
                int s = Integer.parseInt(t);
                return new StatusRange(s, s);
            }
            return new StatusRange(Integer.parseInt(t.substring(0, dash).strip()), Integer.parseInt(t.substring(dash + 1).strip()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("status range must look like 200 or 200-399: " + text, e);
        }
    }

    @JsonCreator
    public static StatusRange of(int status) {
        return new StatusRange(status, status);
    }

    public boolean contains(int status) {
        return status >= from && status <= to;
    }
}
