package org.lvsha.core.ipvs.sched;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;

import org.junit.jupiter.api.Test;

/** The data plane calls select per new connection: it must not allocate (STYLE: Agrona hot path). */
class SchedulerAllocationTest {

    @Test
    void selectDoesNotAllocateForAnyScheduler() {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long self = Thread.currentThread().getId();
        DestinationArray t = Tables.weights(3, 1, 2, 5);
        FlowKey flow = Tables.toDestination(7, 1000);
        for (String name : Schedulers.NAMES) {
            Scheduler s = Schedulers.create(name, 0);
            s.destinationsChanged(t);
            for (int i = 0; i < 20_000; i++) { // warm up, and fill the lblc/lblcr caches for this flow
                s.select(t, flow);
            }
            long before = mx.getThreadAllocatedBytes(self);
            int sink = 0;
            for (int i = 0; i < 100_000; i++) {
                sink += s.select(t, flow);
            }
            long allocated = mx.getThreadAllocatedBytes(self) - before;
            assertThat(allocated).as("%s allocated %d bytes over 100000 selects (sink %d)", name, allocated, sink)
                    .isLessThan(1024);
        }
    }
}
