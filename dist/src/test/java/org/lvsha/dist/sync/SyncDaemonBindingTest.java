package org.lvsha.dist.sync;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.lvsha.core.ipvs.InMemoryIpvs;
import org.lvsha.core.ipvs.SyncDaemon;
import org.lvsha.core.ipvs.SyncState;
import org.lvsha.sync.kernel.daemon.SyncDaemonDriver;
import org.lvsha.sync.kernel.daemon.SyncDaemonSettings;
import org.lvsha.vrrp.notify.TransitionEvent;
import org.lvsha.vrrp.proto.State;
import org.lvsha.vrrp.proto.TransitionReason;

class SyncDaemonBindingTest {
    final InMemoryIpvs ipvs = new InMemoryIpvs();
    final SyncDaemonBinding binding = new SyncDaemonBinding("vi_1",
            new SyncDaemonDriver(ipvs, SyncDaemonSettings.of("eth1", 5), null), Runnable::run);

    static TransitionEvent event(String name, State from, State to) {
        return new TransitionEvent(1, 0, "INSTANCE", name, from, to, TransitionReason.values()[0], 100);
    }

    @Test
    void theOwningInstancesTransitionsDriveTheKernelDaemons() {
        binding.start();
        assertThat(states()).containsExactly(SyncState.BACKUP);
        binding.onTransition(event("vi_1", State.BACKUP, State.MASTER));
        assertThat(states()).containsExactly(SyncState.MASTER);
        binding.onTransition(event("vi_2", State.MASTER, State.BACKUP));
        assertThat(states()).as("another instance changes nothing").containsExactly(SyncState.MASTER);
        binding.onTransition(event("vi_1", State.MASTER, State.FAULT));
        assertThat(states()).containsExactly(SyncState.BACKUP);
        binding.onTransition(event("vi_1", State.FAULT, State.INITIALIZE));
        assertThat(states()).as("stopped").isEmpty();
    }

    private java.util.List<SyncState> states() {
        return ipvs.daemons().stream().map(SyncDaemon::state).toList();
    }
}
