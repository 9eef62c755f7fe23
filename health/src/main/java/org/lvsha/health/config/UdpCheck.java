package org.lvsha.health.config;

/**
 * Sends {@code payload} (UTF-8 text, or hex when {@code payloadHex} is set) in one datagram; success when a
 * reply arrives within the timeout and, when {@code replyRegex} is set, its text contains a match. An ICMP
 * port unreachable fails the check at once.
 */
public record UdpCheck(Integer port, CheckTiming timing, String payload, String payloadHex, String replyRegex) implements CheckSpec {
    @Override
    public String describe() {
        return "udp:" + (port == null ? "rs" : port);
    }
}
