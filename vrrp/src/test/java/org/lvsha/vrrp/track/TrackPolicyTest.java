package org.lvsha.vrrp.track;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.lvsha.vrrp.config.TrackConfig;

class TrackPolicyTest {
    static TrackConfig.Script script(int weight, int rise, int fall) {
        return new TrackConfig.Script("chk", List.of("true"), Duration.ofSeconds(1), Duration.ofSeconds(1), rise, fall, weight);
    }

    @ParameterizedTest(name = "base {0}, weight {1}, link up {2} -> priority {3}")
    @CsvSource({
        "100, 50, true, 150",    // positive weight added while healthy
        "100, 50, false, 100",
        "100, -50, true, 100",   // negative weight added while failed
        "100, -50, false, 50",
        "100, -150, false, 1",   // clamped at 1
        "200, 100, true, 254",   // clamped at 254: 255 is the owner's
        "255, -100, false, 255"  // the owner is never adjusted
    })
    void interfaceWeightFollowsKeepalivedSemantics(int base, int weight, boolean up, int expected) {
        TrackPolicy p = new TrackPolicy(base, List.of(new TrackConfig.Interface("eth1", weight)));
        p.linkState(0, up);
        assertThat(p.effectivePriority()).isEqualTo(expected);
        assertThat(p.fault()).isFalse();
    }

    @Test
    void weightZeroMakesFailureAFault() {
        TrackPolicy p = new TrackPolicy(100, List.of(new TrackConfig.Interface("eth1", 0)));
        assertThat(p.fault()).isFalse();
        p.linkState(0, false);
        assertThat(p.fault()).isTrue();
        assertThat(p.faultReason()).isEqualTo("interface eth1 down");
        assertThat(p.effectivePriority()).isEqualTo(100);
    }

    @Test
    void scriptNeedsFallFailuresToGoDownAndRiseSuccessesToComeBack() {
        TrackPolicy p = new TrackPolicy(100, List.of(script(-30, 2, 3)));
        p.scriptResult(0, false);
        p.scriptResult(0, false);
        assertThat(p.effectivePriority()).isEqualTo(100);
        p.scriptResult(0, false);
        assertThat(p.effectivePriority()).isEqualTo(70);
        p.scriptResult(0, true);
        p.scriptResult(0, false); // streak broken
        p.scriptResult(0, true);
        assertThat(p.effectivePriority()).isEqualTo(70);
        p.scriptResult(0, true);
        assertThat(p.effectivePriority()).isEqualTo(100);
    }

    @Test
    void fileNumberIsMultipliedByWeight() {
        TrackPolicy p = new TrackPolicy(100, List.of(new TrackConfig.File(Path.of("/x"), Duration.ofSeconds(1), -10)));
        p.fileValue(0, OptionalLong.of(3));
        assertThat(p.effectivePriority()).isEqualTo(70);
        p.fileValue(0, OptionalLong.empty());
        assertThat(p.effectivePriority()).isEqualTo(100);
    }

    @Test
    void fileWithWeightZeroFaultsOnNonZeroOrUnreadable() {
        TrackPolicy p = new TrackPolicy(100, List.of(new TrackConfig.File(Path.of("/x"), Duration.ofSeconds(1), 0)));
        p.fileValue(0, OptionalLong.of(0));
        assertThat(p.fault()).isFalse();
        p.fileValue(0, OptionalLong.of(1));
        assertThat(p.faultReason()).isEqualTo("file /x holds 1");
        p.fileValue(0, OptionalLong.empty());
        assertThat(p.faultReason()).isEqualTo("file /x unreadable");
    }

    @Test
    void weightsOfSeveralObjectsAdd() {
        TrackPolicy p = new TrackPolicy(100, List.of(new TrackConfig.Interface("eth0", -20), new TrackConfig.Interface("eth1", -30)));
        p.linkState(0, false);
        p.linkState(1, false);
        assertThat(p.effectivePriority()).isEqualTo(50);
    }

    @Test
    void readNumberAcceptsWhitespaceAndRefusesGarbage(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("n");
        Files.writeString(f, " 42\n");
        assertThat(Trackers.readNumber(f)).hasValue(42);
        Files.writeString(f, "x");
        assertThat(Trackers.readNumber(f)).isEmpty();
        assertThat(Trackers.readNumber(dir.resolve("missing"))).isEmpty();
    }
}
