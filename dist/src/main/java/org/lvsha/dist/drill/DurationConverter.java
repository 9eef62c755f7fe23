package org.lvsha.dist.drill;

import java.time.Duration;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Durations as operators write them: {@code 30s}, {@code 500ms}, {@code 1.5s}, {@code 2m}; a bare number is seconds. */
public final class DurationConverter implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
        return parse(value);
    }

    public static Duration parse(String value) {
        String v = value.strip().toLowerCase(Locale.ROOT);
        double factorNanos;
        String number;
        if (v.endsWith("ms")) {
            factorNanos = 1e6;
            number = v.substring(0, v.length() - 2);
        } else if (v.endsWith("s")) {
            factorNanos = 1e9;
            number = v.substring(0, v.length() - 1);
        } else if (v.endsWith("m")) {
            factorNanos = 60e9;
            number = v.substring(0, v.length() - 1);
        } else {
            factorNanos = 1e9;
            number = v;
        }
        try {
            double n = Double.parseDouble(number);
            if (!(n >= 0) || Double.isInfinite(n)) {
                throw new NumberFormatException();
            }
            return Duration.ofNanos(Math.round(n * factorNanos));
        } catch (NumberFormatException e) {
            throw new TypeConversionException("'" + value + "' is not a duration (e.g. 30s, 500ms, 2m)");
        }
    }

    /** The form {@link #parse} reads back exactly. */
    public static String format(Duration d) {
        return d.toNanos() % 1_000_000 == 0 ? d.toMillis() + "ms" : (d.toNanos() / 1e9) + "s";
    }
}
