package org.lvsha.vrrp.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.lvsha.vrrp.MonotonicClock;
import org.lvsha.vrrp.VrrpCounters;
import org.lvsha.vrrp.config.InstanceConfig;
import org.lvsha.vrrp.config.NodeConfig;
import org.lvsha.vrrp.notify.MemorySubscriber;
import org.lvsha.vrrp.notify.TransitionEvent;
import org.lvsha.vrrp.proto.State;

/** The owner thread with the real clock: starts, advertises on time, stops gracefully. Bounded waits, no sleeps. */
class ThreadedNodeTest {
    static final class QueueTransport implements VrrpTransport {
        final BlockingQueue<byte[]> sent = new LinkedBlockingQueue<>();
        final BlockingQueue<Long> times = new LinkedBlockingQueue<>();

        @Override
        public void join(String interfaceName, InetAddress group) {
        }

        @Override
        public void send(String interfaceName, InetAddress source, InetAddress destination, byte[] buf, int off, int len) {
            sent.add(java.util.Arrays.copyOfRange(buf, off, off + len));
            times.add(System.nanoTime());
        }

        @Override
        public void receiveWith(Consumer<ReceivedDatagram> receiver) {
        }
    }

    @Test
    void ownerThreadAdvertisesEvery10msAndSendsPriorityZeroOnClose() throws Exception {
        QueueTransport t = new QueueTransport();
        MemorySubscriber events = new MemorySubscriber();
        InstanceConfig vip = InstanceConfig.v3("vip", 51, "eth0", Cluster.ip("203.0.113.2"), 255,
                List.of(Cluster.vip("eth0", "203.0.113.100", "eth0:0"))).withInterval(1);
        VrrpNode node = new VrrpNode(new NodeConfig(List.of(vip), List.of()), t, new FakeAddressManager(MonotonicClock.system()),
                MonotonicClock.system(), events, new VrrpCounters());
        node.start();
        TransitionEvent first = events.next(Duration.ofSeconds(5));
        assertThat(first.to()).isEqualTo(State.MASTER);
        for (int i = 0; i < 20; i++) {
            byte[] advert = t.sent.poll(5, TimeUnit.SECONDS);
            assertThat(advert).isNotNull();
            assertThat(advert[2] & 0xff).isEqualTo(255);
        }
        long firstAt = t.times.take();
        for (int i = 0; i < 18; i++) {
            t.times.take();
        }
        long spread = t.times.take() - firstAt;
        assertThat(spread).as("19 intervals of 10 ms").isBetween(TimeUnit.MILLISECONDS.toNanos(150), TimeUnit.SECONDS.toNanos(2));
        node.close();
        byte[] last = null;
        byte[] b;
        while ((b = t.sent.poll()) != null) {
            last = b;
        }
        assertThat(last).isNotNull();
        assertThat(last[2]).isZero();
        assertThat(events.next(Duration.ofSeconds(5)).hookState()).isEqualTo("STOP");
    }
}
