package org.lvsha.health.tools;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.time.Duration;
import org.lvsha.health.check.BoundedProbe;
import org.lvsha.health.check.CheckResult;
import org.lvsha.health.check.CheckTransport;
import org.lvsha.health.check.CheckerFactory;
import org.lvsha.health.config.CheckSpec;
import org.lvsha.health.config.DurationText;
import org.lvsha.health.config.HealthConfigModule;
import org.lvsha.health.config.RealServerHealth;

/**
 * Runs one probe and prints its result: {@code CheckOnce ADDRESS PORT 'CHECK-YAML' [TIMEOUT]}, for example
 * {@code CheckOnce 192.0.2.11 80 '{type: http, path: /health}' 1s}. Prints {@code UP detail} and exits 0
 * (with {@code weight=N[%]} and {@code admin=STATE} before the detail when the probe learned them, as an agent's
 * does), or {@code DOWN REASON detail} and exits 1 ({@code NO_CHANGE} exits 2). For operators trying a check by
 * hand, and for tests that must probe from inside a network namespace.
 */
public final class CheckOnce {
    private CheckOnce() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 3) {
            System.err.println("usage: CheckOnce ADDRESS PORT 'CHECK-YAML' [TIMEOUT]");
            System.exit(64);
        }
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory()).registerModule(new HealthConfigModule());
        CheckSpec spec = yaml.readValue(args[2], CheckSpec.class);
        Duration timeout = args.length > 3 ? DurationText.parse(args[3]) : Duration.ofSeconds(1);
        RealServerHealth rs = RealServerHealth.of(args[0], Integer.parseInt(args[1]), 1, spec);
        long start = System.nanoTime();
        CheckResult r;
        try (CheckTransport transport = CheckTransport.create(1, 1)) {
            r = BoundedProbe.run(new CheckerFactory(transport).create(rs, spec), transport.group().next(), timeout).join();
        }
        long ms = (System.nanoTime() - start) / 1_000_000;
        String weight = r.weight() == null ? "" : " weight=" + r.weight().value() + (r.weight().percent() ? "%" : "");
        String admin = r.admin() == null ? "" : " admin=" + r.admin();
        System.out.println(r.verdict() + (r.reason() == null ? "" : " " + r.reason()) + " " + ms + "ms" + weight + admin + " " + r.detail());
        System.exit(switch (r.verdict()) {
            case UP -> 0;
            case DOWN -> 1;
            case NO_CHANGE -> 2;
        });
    }
}
