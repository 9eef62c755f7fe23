package org.lvsha.dist.drill;

/** Builds {@link TrafficLog}s by hand for the measurement tests; times in milliseconds from a fixed origin. */
final class SyntheticLog {
    static final long ORIGIN = 1_000_000_000_000L;
    final TrafficLog log = new TrafficLog("192.0.2.11:80", 100_000);
    private int nextRequest;

    SyntheticLog(double endMs) {
        log.markStart(ORIGIN, 1_700_000_000_000L);
        log.markEnd(at(endMs));
    }

    static long at(double ms) {
        return ORIGIN + (long) (ms * 1_000_000);
    }

    /**
     * One attempt per character, {@code spacingMs} apart from {@code fromMs}: {@code O} succeeds on
     * rs1, {@code X} is refused, {@code T} times out, {@code .} sends nothing.
     */
    SyntheticLog pattern(double fromMs, double spacingMs, String pattern) {
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            double t = fromMs + i * spacingMs;
            switch (c) {
                case 'O' -> attempt(nextRequest++, 0, t, RequestOutcome.OK, "rs1");
                case 'X' -> attempt(nextRequest++, 0, t, RequestOutcome.REFUSED, null);
                case 'T' -> attempt(nextRequest++, 0, t, RequestOutcome.TIMEOUT, null);
                case '.' -> { }
                default -> throw new IllegalArgumentException("pattern char " + c);
            }
        }
        return this;
    }

    SyntheticLog attempt(int request, int number, double startMs, RequestOutcome outcome, String server) {
        int row = log.beginAttempt(request, number, at(startMs));
        long end = at(startMs + (outcome == RequestOutcome.TIMEOUT ? 1000 : 0.5));
        log.finishAttempt(row, end, outcome, log.server(server));
        return this;
    }

    SyntheticLog event(double ms, int connection, StreamEvent kind, String server) {
        log.event(at(ms), connection, kind, log.server(server), 0, 300_000);
        return this;
    }
}
