package org.lvsha.vrrp.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.lvsha.vrrp.VirtualClock;
import org.lvsha.vrrp.VrrpCounters;
import org.lvsha.vrrp.config.InstanceConfig;
import org.lvsha.vrrp.config.NodeConfig;
import org.lvsha.vrrp.proto.State;

/** At a 10 ms interval the master's advert path runs 100 times a second: it must not allocate. */
class AdvertPathAllocationTest {

    static final class CountingTransport implements VrrpTransport {
        long sent;
        long checksum;

        @Override
        public void join(String interfaceName, InetAddress group) {
        }

        @Override
        public void send(String interfaceName, InetAddress source, InetAddress destination, byte[] buf, int off, int len) {
            sent++;
            checksum += buf[off + 6] + buf[off + 2];
        }

        @Override
        public void receiveWith(Consumer<ReceivedDatagram> receiver) {
        }
    }

    @Test
    void masterSendingAdvertsEvery10msAllocatesNothing() {
        VirtualClock clock = new VirtualClock(0);
        CountingTransport t = new CountingTransport();
        InstanceConfig vip = InstanceConfig.v3("vip", 51, "eth0", Cluster.ip("203.0.113.2"), 255,
                List.of(Cluster.vip("eth0", "203.0.113.100", "eth0:0"), Cluster.vip("eth0", "203.0.113.101", "eth0:1"))).withInterval(1);
        VrrpNode node = new VrrpNode(new NodeConfig(List.of(vip), List.of()), t, new FakeAddressManager(clock), clock, e -> { },
                new VrrpCounters());
        node.startInstances();
        assertThat(node.status("vip").state()).isEqualTo(State.MASTER);
        for (int i = 0; i < 20_000; i++) { // warm-up, and past the second announcement burst
            clock.set(node.nextDeadline());
            node.poll();
        }
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long tid = Thread.currentThread().getId();
        long sentBefore = t.sent;
        long before = mx.getThreadAllocatedBytes(tid);
        for (int i = 0; i < 50_000; i++) {
            clock.set(node.nextDeadline());
            node.poll();
        }
        long allocated = mx.getThreadAllocatedBytes(tid) - before;
        assertThat(t.sent - sentBefore).isEqualTo(50_000);
        assertThat(allocated).as("bytes allocated for 50k adverts").isLessThan(4096);
    }
}
