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
        long[] at = new long[20];
        for (int i = 0; i < at.length; i++) {
            at[i] = t.times.take();
        }
        // Never faster than the interval: 19 intervals take at least 150 ms. Not slower either, judged by the median
        // gap: on a starved build machine a few gaps stretch to hundreds of ms (the whole run once took 3.2 s),
        // while most stay near 10 ms; a wrong interval (100 ms, 1 s) moves the median itself.
        assertThat(at[19] - at[0]).as("19 intervals of 10 ms").isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(150));
        long[] gaps = new long[19];
        for (int i = 0; i < gaps.length; i++) {
            gaps[i] = at[i + 1] - at[i];
        }
        java.util.Arrays.sort(gaps);
        assertThat(gaps[9]).as("median gap, all gaps %s", java.util.Arrays.toString(gaps))
                .isBetween(TimeUnit.MILLISECONDS.toNanos(5), TimeUnit.MILLISECONDS.toNanos(60));
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

    @Test
    void threadedBackupTakesOverShortlyAfterMasterDownIntervalAtA10msInterval() throws Exception {
        DirectNetwork net = new DirectNetwork();
        MonotonicClock clock = MonotonicClock.system();
        InstanceConfig a = InstanceConfig.v3("vip", 51, "eth0", Cluster.ip("203.0.113.2"), 200,
                List.of(Cluster.vip("eth0", "203.0.113.100", "eth0:0"))).withInterval(1);
        InstanceConfig b = InstanceConfig.v3("vip", 51, "eth0", Cluster.ip("203.0.113.3"), 100,
                List.of(Cluster.vip("eth0", "203.0.113.100", "eth0:0"))).withInterval(1);
        DirectNetwork.Port pa = net.attach("A", java.util.Map.of("eth0", "out"), java.util.Set.of(a.primaryAddress()));
        DirectNetwork.Port pb = net.attach("B", java.util.Map.of("eth0", "out"), java.util.Set.of(b.primaryAddress()));
        MemorySubscriber ea = new MemorySubscriber();
        MemorySubscriber eb = new MemorySubscriber();
        SendTimes sentByA = new SendTimes(pa);
        VrrpNode na = new VrrpNode(new NodeConfig(List.of(a), List.of()), sentByA, new FakeAddressManager(clock), clock, ea,
                new VrrpCounters());
        VrrpNode nb = new VrrpNode(new NodeConfig(List.of(b), List.of()), pb, new FakeAddressManager(clock), clock, eb, new VrrpCounters());
        long mdi = org.lvsha.vrrp.proto.MasterDownInterval.nanos(3, 100, 1);
        na.start();
        nb.start();
        try {
            assertThat(awaitState(ea, State.MASTER, 0)).isNotNull();
            // Started together, both may briefly be master until they hear each other; wait until B follows A.
            awaitBackupOf200(nb);
            // No spurious takeover while adverts flow. At a 10 ms interval Master_Down_Interval is 36 ms, and a loaded
            // machine can deschedule A's owner thread for longer than that; B then rightly takes over (A was silent).
            // So the rule checked is the protocol's: every takeover by B comes at least Master_Down_Interval after
            // the last advert A sent before it (the same 11 ms tolerance as below).
            long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(300);
            long windowStart = System.nanoTime();
            while (System.nanoTime() < until) {
                Thread.onSpinWait();
            }
            for (TransitionEvent e : eb.events()) {
                if (e.type().equals("INSTANCE") && e.to() == State.MASTER && e.monotonicNanos() >= windowStart) {
                    long silence = e.monotonicNanos() - sentByA.lastBefore(e.monotonicNanos());
                    assertThat(silence).as("B went master %d ns after A's last advert; A's sends %s", silence, sentByA)
                            .isGreaterThanOrEqualTo(mdi - TimeUnit.MILLISECONDS.toNanos(11));
                }
            }
            awaitBackupOf200(nb);
            while (eb.next(Duration.ZERO) != null) {
                // drop the events of the window: the takeover below is looked for from the crash on
            }
            long crash = System.nanoTime();
            pa.setReachable(false); // crash
            TransitionEvent took = awaitState(eb, State.MASTER, crash);
            assertThat(took).isNotNull();
            // Read after the takeover, not right after the cut: A's thread may be inside send(), past the reachable
            // check, when the cut comes; that advert still reaches B and stamps lastSentNanos a moment later.
            long lastAdvert = pa.lastSentNanos();
            long late = took.monotonicNanos() - lastAdvert - mdi;
            org.slf4j.LoggerFactory.getLogger(ThreadedNodeTest.class).info("takeover {} us after Master_Down_Interval", late / 1000);
            // Virtual-clock tests prove exactness; here the bound only catches gross loop bugs on a busy machine (a
            // timer that waits for the next 1 s default interval, or is re-armed without firing, shows as a second or
            // as no takeover at all). B's owner thread being descheduled when its timer is due adds to the figure
            // and on a loaded 2-core CI machine that is hundreds of ms, hence 500 ms rather than 100 ms.
            assertThat(late).as("takeover lateness beyond Master_Down_Interval, ns").isBetween(-TimeUnit.MILLISECONDS.toNanos(11),
                    TimeUnit.MILLISECONDS.toNanos(500));
        } finally {
            na.close();
            nb.close();
        }
    }

    /** Waits (5 s at most) until B is backup and follows the priority-200 master. */
    private static void awaitBackupOf200(VrrpNode nb) {
        long settle = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!(nb.status("vip").state() == State.BACKUP && nb.status("vip").masterPriority() == 200)
                && System.nanoTime() < settle) {
            Thread.onSpinWait();
        }
        assertThat(nb.status("vip").state()).isEqualTo(State.BACKUP);
        assertThat(nb.status("vip").masterPriority()).isEqualTo(200);
    }

    /** A's transport, recording when each advert was sent. */
    static final class SendTimes implements VrrpTransport {
        private final VrrpTransport delegate;
        private final java.util.concurrent.ConcurrentLinkedQueue<Long> times = new java.util.concurrent.ConcurrentLinkedQueue<>();

        SendTimes(VrrpTransport delegate) {
            this.delegate = delegate;
        }

        /** The last send at or before {@code nanos}; Long.MIN_VALUE / 2 if none. */
        long lastBefore(long nanos) {
            long last = Long.MIN_VALUE / 2;
            for (long t : times) {
                if (t <= nanos) {
                    last = Math.max(last, t);
                }
            }
            return last;
        }

        @Override
        public void join(String interfaceName, InetAddress group) {
            delegate.join(interfaceName, group);
        }

        @Override
        public void send(String interfaceName, InetAddress source, InetAddress destination, byte[] buf, int off, int len) {
            times.add(System.nanoTime()); // before the hand-over, so never after B has taken the advert
            delegate.send(interfaceName, source, destination, buf, off, len);
        }

        @Override
        public void receiveWith(Consumer<ReceivedDatagram> receiver) {
            delegate.receiveWith(receiver);
        }

        @Override
        public void drainReceived() {
            delegate.drainReceived();
        }

        @Override
        public void awaitReceived(long timeoutNanos) {
            delegate.awaitReceived(timeoutNanos);
        }

        @Override
        public void wakeup() {
            delegate.wakeup();
        }

        @Override
        public void close() {
            delegate.close();
        }

        @Override
        public String toString() {
            return times.size() + " sends";
        }
    }

    /** The first transition of the instance into {@code state} at or after {@code after} (monotonic ns). */
    private static TransitionEvent awaitState(MemorySubscriber s, State state, long after) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < deadline) {
            TransitionEvent e = s.next(Duration.ofMillis(100));
            if (e != null && e.type().equals("INSTANCE") && e.to() == state && e.monotonicNanos() >= after) {
                return e;
            }
        }
        return null;
    }
}
