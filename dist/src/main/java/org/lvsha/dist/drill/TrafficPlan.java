package org.lvsha.dist.drill;

import java.time.Duration;

/**
 * What client traffic a drill sends: short HTTP GETs to {@code host:httpPort} at {@code rate} per
 * second (a new TCP connection each, retried up to {@code retries} times after {@code retryDelay}),
 * and {@code longLived} connections to {@code host:streamPort} that send a numbered line every
 * {@code lineInterval} and expect it echoed. Everything is bounded: by {@code duration}, by
 * {@code maxRequests}, and every attempt by {@code requestTimeout}.
 */
public record TrafficPlan(String host, int httpPort, int streamPort, int rate, Duration duration, int maxRequests,
                          Duration requestTimeout, int retries, Duration retryDelay, int longLived,
                          Duration lineInterval, Duration stallThreshold) {
    public static final int MAX_RATE = 20_000;
    public static final int MAX_LONG_LIVED = 1_000;
    public static final int MAX_RETRIES = 5;
    public static final Duration MAX_DURATION = Duration.ofHours(1);

    public TrafficPlan {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("target host is required");
        }
        checkPort(httpPort, "target port");
        checkPort(streamPort, "stream port");
        if (rate < 1 || rate > MAX_RATE) {
            throw new IllegalArgumentException("rate must be 1.." + MAX_RATE + " requests/s, got " + rate);
        }
        if (duration.isNegative() || duration.isZero() || duration.compareTo(MAX_DURATION) > 0) {
            throw new IllegalArgumentException("duration must be > 0 and <= " + MAX_DURATION + ", got " + duration);
        }
        if (maxRequests < 1) {
            throw new IllegalArgumentException("max requests must be >= 1, got " + maxRequests);
        }
        if (requestTimeout.toMillis() < 1 || requestTimeout.toSeconds() > 60) {
            throw new IllegalArgumentException("request timeout must be 1 ms..60 s, got " + requestTimeout);
        }
        if (retries < 0 || retries > MAX_RETRIES) {
            throw new IllegalArgumentException("retries must be 0.." + MAX_RETRIES + ", got " + retries);
        }
        if (retryDelay.isNegative()) {
            throw new IllegalArgumentException("retry delay must not be negative");
        }
        if (longLived < 0 || longLived > MAX_LONG_LIVED) {
            throw new IllegalArgumentException("long-lived connections must be 0.." + MAX_LONG_LIVED + ", got " + longLived);
        }
        if (lineInterval.toMillis() < 1) {
            throw new IllegalArgumentException("line interval must be >= 1 ms, got " + lineInterval);
        }
        if (stallThreshold.compareTo(lineInterval) <= 0 && longLived > 0) {
            // A reply is only expected after the line went out, so a threshold below the send
            // interval would not be a stall any more than a quiet connection is.
            throw new IllegalArgumentException("stall threshold (" + stallThreshold + ") must exceed the line interval (" + lineInterval + ")");
        }
    }

    /** Requests actually sent: the rate over the duration, capped by {@code maxRequests}. */
    public long plannedRequests() {
        long byTime = duration.toNanos() / 1_000_000L * rate / 1000L;
        return Math.max(1, Math.min(maxRequests, byTime));
    }

    /** Where the short requests go, as {@code host:port} (IPv6 in brackets). */
    public String httpTarget() {
        return hostPort(host, httpPort);
    }

    static String hostPort(String host, int port) {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    private static void checkPort(int port, String what) {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException(what + " must be 1..65535, got " + port);
        }
    }

    public TrafficPlan withDuration(Duration d) {
        return new TrafficPlan(host, httpPort, streamPort, rate, d, maxRequests, requestTimeout, retries, retryDelay,
                longLived, lineInterval, stallThreshold);
    }
}
