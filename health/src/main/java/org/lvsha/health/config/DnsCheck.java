package org.lvsha.health.config;

import java.util.Locale;

/**
 * A DNS query over UDP; success when the response has {@code expectRcode} (default NOERROR) and, when
 * {@code expectAnswer} is set, an A or AAAA record in the answer section with that address.
 */
public record DnsCheck(Integer port, CheckTiming timing, String name, String queryType, String expectRcode, String expectAnswer) implements CheckSpec {
    public DnsCheck {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a dns check needs a name to query");
        }
        queryType = queryType == null ? "A" : queryType.toUpperCase(Locale.ROOT);
        expectRcode = expectRcode == null ? "NOERROR" : expectRcode.toUpperCase(Locale.ROOT);
    }

    @Override
    public String describe() {
        return "dns:" + (port == null ? "rs" : port) + "/" + queryType + " " + name;
    }
}
