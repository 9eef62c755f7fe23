package org.lvsha.health.config;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * One check of a real server. The YAML names the kind with {@code type:} ({@code tcp}, {@code http} (HTTPS with {@code tls: true}),
 * {@code tls}, {@code udp}, {@code dns}, {@code command}, {@code agent}). A check without a
 * port checks the real server's own port; a null {@code timing} takes the service's defaults.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = TcpCheck.class, name = "tcp"),
        @JsonSubTypes.Type(value = HttpCheck.class, name = "http"),
        @JsonSubTypes.Type(value = TlsCheck.class, name = "tls"),
        @JsonSubTypes.Type(value = UdpCheck.class, name = "udp"),
        @JsonSubTypes.Type(value = DnsCheck.class, name = "dns"),
        @JsonSubTypes.Type(value = CommandCheck.class, name = "command"),
        @JsonSubTypes.Type(value = AgentCheck.class, name = "agent")})
public sealed interface CheckSpec permits TcpCheck, HttpCheck, TlsCheck, UdpCheck, DnsCheck, CommandCheck, AgentCheck {
    /** Port to probe, or null for the real server's port. */
    Integer port();

    CheckTiming timing();

    /** A short label for logs and metrics, such as {@code http:80/health}. */
    String describe();
}
