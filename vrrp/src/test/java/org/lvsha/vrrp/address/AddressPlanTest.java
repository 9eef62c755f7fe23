package org.lvsha.vrrp.address;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.lvsha.core.net.AddressManager;
import org.lvsha.core.net.VirtualAddress;
import org.lvsha.vrrp.VrrpCounters;
import org.lvsha.vrrp.config.AnnounceConfig;

class AddressPlanTest {
    static final long S = 1_000_000_000L;

    @Test
    void burstThenSecondBurstAfterDelayThenPeriodicRefresh() {
        AnnounceSchedule s = new AnnounceSchedule(new AnnounceConfig(3, Duration.ofSeconds(5), 2, Duration.ofSeconds(60)));
        assertThat(s.start(100)).isEqualTo(3);
        assertThat(s.nextDeadline()).isEqualTo(100 + 5 * S);
        assertThat(s.due(100 + 5 * S - 1)).isZero();
        assertThat(s.due(100 + 5 * S)).isEqualTo(2);
        assertThat(s.nextDeadline()).isEqualTo(100 + 60 * S);
        assertThat(s.due(100 + 60 * S)).isEqualTo(1);
        assertThat(s.nextDeadline()).isEqualTo(100 + 120 * S);
        s.stop();
        assertThat(s.nextDeadline()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void withoutRepeatOrRefreshThereIsOnlyTheFirstBurst() {
        AnnounceSchedule s = new AnnounceSchedule(new AnnounceConfig(1, Duration.ZERO, 0, Duration.ZERO));
        assertThat(s.start(0)).isEqualTo(1);
        assertThat(s.nextDeadline()).isEqualTo(Long.MAX_VALUE);
    }

    static final class Port implements AddressManager {
        final Set<VirtualAddress> present = new HashSet<>();
        final List<String> calls = new ArrayList<>();
        VirtualAddress failing;

        @Override
        public void add(VirtualAddress a) {
            calls.add("add " + a.address().getHostAddress());
            if (a.equals(failing)) {
                throw new UncheckedIOException(new java.io.IOException("RTM_NEWADDR " + a + ": EPERM"));
            }
            present.add(a);
        }

        @Override
        public void remove(VirtualAddress a) {
            calls.add("remove " + a.address().getHostAddress());
            present.remove(a);
        }

        @Override
        public boolean isPresent(VirtualAddress a) {
            return present.contains(a);
        }

        @Override
        public void announce(VirtualAddress a) {
            calls.add("announce " + a.address().getHostAddress());
        }
    }

    static VirtualAddress va(String ip) throws Exception {
        return new VirtualAddress("eth0", InetAddress.getByName(ip), 24, "eth0:0");
    }

    @Test
    void aFailingAddressIsCountedAndTheOthersAreStillHandled() throws Exception {
        Port port = new Port();
        port.failing = va("203.0.113.100");
        VrrpCounters counters = new VrrpCounters();
        AddressExecutor ex = new AddressExecutor("vip", List.of(va("203.0.113.100"), va("203.0.113.101")), port, counters);
        ex.addAll();
        assertThat(port.present).containsExactly(va("203.0.113.101"));
        assertThat(counters.addressErrors()).isEqualTo(1);
    }

    @Test
    void removeOnlyTouchesAddressesThatArePresent() throws Exception {
        Port port = new Port();
        port.present.add(va("203.0.113.101"));
        AddressExecutor ex = new AddressExecutor("vip", List.of(va("203.0.113.100"), va("203.0.113.101")), port, new VrrpCounters());
        ex.removePresent();
        assertThat(port.calls).containsExactly("remove 203.0.113.101");
    }

    @Test
    void announceSendsTheBurstForEveryAddress() throws Exception {
        Port port = new Port();
        VrrpCounters counters = new VrrpCounters();
        new AddressExecutor("vip", List.of(va("203.0.113.100"), va("203.0.113.101")), port, counters).announce(2);
        assertThat(port.calls).containsExactly("announce 203.0.113.100", "announce 203.0.113.101",
                "announce 203.0.113.100", "announce 203.0.113.101");
        assertThat(counters.announcements()).isEqualTo(4);
    }
}
