package org.lvsha.vrrp.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.lvsha.vrrp.VirtualClock;
import org.lvsha.vrrp.VrrpCounters;
import org.lvsha.vrrp.codec.AdvertTemplate;
import org.lvsha.vrrp.codec.IpFacts;
import org.lvsha.vrrp.codec.VrrpCodec;
import org.lvsha.vrrp.config.InstanceConfig;
import org.lvsha.vrrp.config.NodeConfig;
import org.lvsha.vrrp.proto.State;

/**
 * A whole-JVM pause stops the receive thread too: adverts pile up in the socket while the backup's
 * Master_Down deadline passes. The node must read what is waiting before it checks its deadlines.
 */
class PauseToleranceTest {
    static final class SocketLikeTransport implements VrrpTransport {
        final List<ReceivedDatagram> waitingInSocket = new ArrayList<>();
        Consumer<ReceivedDatagram> receiver;

        @Override
        public void join(String interfaceName, InetAddress group) {
        }

        @Override
        public void send(String interfaceName, InetAddress source, InetAddress destination, byte[] buf, int off, int len) {
        }

        @Override
        public void receiveWith(Consumer<ReceivedDatagram> r) {
            receiver = r;
        }

        @Override
        public void drainReceived() {
            waitingInSocket.forEach(receiver);
            waitingInSocket.clear();
        }
    }

    @Test
    void advertsWaitingInTheSocketAfterAPauseResetTheMasterDownTimerBeforeItIsChecked() {
        VirtualClock clock = new VirtualClock(0);
        SocketLikeTransport t = new SocketLikeTransport();
        InstanceConfig backup = InstanceConfig.v3("vip", 51, "eth0", Cluster.ip("203.0.113.3"), 100,
                List.of(Cluster.vip("eth0", "203.0.113.100", "eth0:0"))).withInterval(1);
        VrrpNode node = new VrrpNode(new NodeConfig(List.of(backup), List.of()), t, new FakeAddressManager(clock), clock, e -> { },
                new VrrpCounters());
        node.startInstances();
        byte[] advert = new byte[12];
        VrrpCodec.encode(new AdvertTemplate(3, 51, 1, null, List.of(Cluster.ip("203.0.113.100")), Cluster.ip("203.0.113.2")), 200,
                VrrpTransport.GROUP_V4.getAddress(), advert, 0);
        long downDeadline = node.nextDeadline();
        // 200 ms pause: the master kept advertising every 10 ms; the adverts sit in the socket
        clock.set(downDeadline + 200_000_000L);
        t.waitingInSocket.add(new ReceivedDatagram("eth0", new IpFacts(Cluster.ip("203.0.113.2"), VrrpTransport.GROUP_V4, 255),
                advert, 0, 12));
        node.poll();
        assertThat(node.status("vip").state()).isEqualTo(State.BACKUP);
        assertThat(node.nextDeadline()).isGreaterThan(clock.nanoTime());
    }
}
