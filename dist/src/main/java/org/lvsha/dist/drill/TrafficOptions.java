package org.lvsha.dist.drill;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** The traffic options shared by {@code lvsha drill} and {@code lvsha drill traffic}. */
public final class TrafficOptions {
    @Option(names = "--target", paramLabel = "VIP:PORT", description = "Virtual service for the short HTTP requests, e.g. 203.0.113.100:80 or [2001:db8:0:1::100]:80.")
    String target;

    @Option(names = "--stream-port", paramLabel = "PORT", defaultValue = "9000", description = "Port of the line-echo service on the same address for long-lived connections (default ${DEFAULT-VALUE}).")
    int streamPort;

    @Option(names = "--rate", paramLabel = "N", defaultValue = "200", description = "Short requests per second, each on a new TCP connection (default ${DEFAULT-VALUE}).")
    int rate;

    @Option(names = "--duration", paramLabel = "TIME", defaultValue = "30s", converter = DurationConverter.class, description = "How long the traffic runs (default ${DEFAULT-VALUE}).")
    Duration duration;

    @Option(names = "--max-requests", paramLabel = "N", defaultValue = "1000000", description = "Upper bound on short requests (default ${DEFAULT-VALUE}).")
    int maxRequests;

    @Option(names = "--timeout", paramLabel = "TIME", defaultValue = "1s", converter = DurationConverter.class, description = "Per-attempt timeout, connect and answer (default ${DEFAULT-VALUE}).")
    Duration timeout;

    @Option(names = "--retries", paramLabel = "N", defaultValue = "1", description = "Retries of a failed request (default ${DEFAULT-VALUE}).")
    int retries;

    @Option(names = "--retry-delay", paramLabel = "TIME", defaultValue = "10ms", converter = DurationConverter.class, description = "Wait before a retry (default ${DEFAULT-VALUE}).")
    Duration retryDelay;

    @Option(names = "--long-lived", paramLabel = "K", defaultValue = "20", description = "Long-lived connections to the stream port (default ${DEFAULT-VALUE}).")
    int longLived;

    @Option(names = "--line-interval", paramLabel = "TIME", defaultValue = "100ms", converter = DurationConverter.class, description = "A numbered line on each long-lived connection this often (default ${DEFAULT-VALUE}).")
    Duration lineInterval;

    @Option(names = "--stall-threshold", paramLabel = "TIME", defaultValue = "1s", converter = DurationConverter.class, description = "No echo for this long counts the connection as broken (default ${DEFAULT-VALUE}).")
    Duration stallThreshold;

    /** The plan these options describe; throws {@link IllegalArgumentException} with the reason when invalid. */
    public TrafficPlan plan() {
        if (target == null) {
            throw new IllegalArgumentException("--target VIP:PORT is required");
        }
        HostPort hp = HostPort.parse(target);
        return new TrafficPlan(hp.host(), hp.port(), streamPort, rate, duration, maxRequests, timeout, retries,
                retryDelay, longLived, lineInterval, stallThreshold);
    }

    /** The options that reproduce {@code plan}: how a drill passes its plan to a traffic process. */
    public static List<String> args(TrafficPlan plan) {
        List<String> a = new ArrayList<>();
        a.add("--target=" + plan.httpTarget());
        a.add("--stream-port=" + plan.streamPort());
        a.add("--rate=" + plan.rate());
        a.add("--duration=" + DurationConverter.format(plan.duration()));
        a.add("--max-requests=" + plan.maxRequests());
        a.add("--timeout=" + DurationConverter.format(plan.requestTimeout()));
        a.add("--retries=" + plan.retries());
        a.add("--retry-delay=" + DurationConverter.format(plan.retryDelay()));
        a.add("--long-lived=" + plan.longLived());
        a.add("--line-interval=" + DurationConverter.format(plan.lineInterval()));
        a.add("--stall-threshold=" + DurationConverter.format(plan.stallThreshold()));
        return a;
    }

    /** {@code host:port} or {@code [v6]:port}. */
    public record HostPort(String host, int port) {
        public static HostPort parse(String s) {
            String host;
            String port;
            if (s.startsWith("[")) {
                int close = s.indexOf("]:");
                if (close < 0) {
                    throw new IllegalArgumentException("target '" + s + "' must be [IPv6]:PORT");
                }
                host = s.substring(1, close);
                port = s.substring(close + 2);
            } else {
                int colon = s.lastIndexOf(':');
                if (colon < 0 || s.indexOf(':') != colon) {
                    throw new IllegalArgumentException("target '" + s + "' must be HOST:PORT (IPv6 as [ADDR]:PORT)");
                }
                host = s.substring(0, colon);
                port = s.substring(colon + 1);
            }
            try {
                return new HostPort(host, Integer.parseInt(port));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("target '" + s + "': port '" + port + "' is not a number");
            }
        }
    }
}
