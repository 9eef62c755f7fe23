package org.lvsha.health.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class HealthConfigBindingTest {
    private final ObjectMapper yaml = new ObjectMapper(new YAMLFactory()).registerModule(new HealthConfigModule());

    @Test
    void aServiceBindsFromYamlWithDefaultsFilledIn() throws Exception {
        ServiceHealth s = yaml.readValue("""
                id: tcp:203.0.113.100:80
                onFailure: remove
                slowStart: 30s
                slowStartSteps: 6
                defaults: { interval: 1s, timeout: 500ms, fall: 2 }
                quorum: { up: 20, down: 10 }
                sorryServer: { address: 192.0.2.99, port: 80, weight: 1 }
                realServers:
                  - address: 192.0.2.11
                    port: 80
                    weight: 10
                    maxWeight: 20
                    checks:
                      - { type: http, path: /health, host: www.example, expectStatus: [200-299, 301], bodyRegex: ok }
                      - { type: agent, port: 8081 }
                      - { type: tcp, timing: { interval: 2s } }
                  - address: 192.0.2.12
                    port: 80
                    weight: 10
                    checks:
                      - { type: tls, port: 443, serverName: www.example, verify: true, caFile: /etc/lvsha/ca.pem }
                      - { type: udp, port: 53, payload: ping, replyRegex: pong }
                      - { type: dns, port: 53, name: www.example, expectAnswer: 192.0.2.80 }
                      - { type: command, command: [/usr/lib/lvsha/check, "{rip}"], dynamicWeight: exit }
                """, ServiceHealth.class);
        assertThat(s.onFailure()).isEqualTo(FailureAction.remove);
        assertThat(s.slowStart()).isEqualTo(Duration.ofSeconds(30));
        assertThat(s.defaults()).isEqualTo(new CheckTiming(Duration.ofSeconds(1), Duration.ofMillis(500), 2, 2,
                Duration.ofSeconds(1), Duration.ofMillis(100)));
        RealServerHealth rs1 = s.realServers().get(0);
        assertThat(rs1.id()).isEqualTo("192.0.2.11:80");
        assertThat(rs1.maxWeight()).isEqualTo(20);
        HttpCheck http = (HttpCheck) rs1.checks().get(0);
        assertThat(http.statusAccepted(301)).isTrue();
        assertThat(http.statusAccepted(302)).isFalse();
        assertThat(s.timingOf(rs1.checks().get(2)).interval()).isEqualTo(Duration.ofSeconds(2));
        assertThat(s.timingOf(rs1.checks().get(2)).timeout()).isEqualTo(Duration.ofMillis(500));
        assertThat(s.realServers().get(1).checks()).hasExactlyElementsOfTypes(TlsCheck.class, UdpCheck.class, DnsCheck.class, CommandCheck.class);
        assertThat(s.sorryServer().id()).isEqualTo("192.0.2.99:80");
    }

    @Test
    void badValuesAreRefusedWithTheReason() {
        assertThatThrownBy(() -> yaml.readValue("{ interval: soon }", CheckTiming.class)).hasMessageContaining("soon");
        assertThatThrownBy(() -> yaml.readValue("{ rise: 0 }", CheckTiming.class)).hasMessageContaining("rise must be at least 1");
        assertThatThrownBy(() -> yaml.readValue("{ up: 5, down: 10 }", Quorum.class)).hasMessageContaining("down <= up");
        assertThatThrownBy(() -> yaml.readValue("""
                id: s
                sorryServer: { address: 192.0.2.99, port: 80, weight: 1 }
                """, ServiceHealth.class)).hasMessageContaining("sorry server needs a quorum");
    }

    @Test
    void durationsReadAsOperatorsWriteThem() {
        assertThat(DurationText.parse("250ms")).isEqualTo(Duration.ofMillis(250));
        assertThat(DurationText.parse("1.5s")).isEqualTo(Duration.ofMillis(1500));
        assertThat(DurationText.parse("2m")).isEqualTo(Duration.ofMinutes(2));
        assertThat(DurationText.parse("PT3S")).isEqualTo(Duration.ofSeconds(3));
    }
}
