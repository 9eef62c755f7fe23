package org.lvsha.health.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import java.io.IOException;
import java.time.Duration;

/**
 * Registers what the health records need beyond plain Jackson: {@link Duration} from {@code "2s"}-style
 * text (or a number of milliseconds). Register it on the daemon's YAML mapper.
 */
public final class HealthConfigModule extends SimpleModule {
    private static final long serialVersionUID = 1L;

    public HealthConfigModule() {
        super("lvsha-health");
        addDeserializer(Duration.class, new DurationDeserializer());
    }

    static final class DurationDeserializer extends JsonDeserializer<Duration> {
        @Override
        public Duration deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (p.currentToken() == JsonToken.VALUE_NUMBER_INT) {
                return Duration.ofMillis(p.getLongValue());
            }
            String text = p.getValueAsString();
            try {
                return DurationText.parse(text);
            } catch (IllegalArgumentException e) {
                return (Duration) ctxt.handleWeirdStringValue(Duration.class, text, e.getMessage());
            }
        }
    }
}
