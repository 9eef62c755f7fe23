package org.lvsha.core.platform;

/**
 * Real-time scheduling for the calling thread (sched_setscheduler(2) with pid 0 = this thread). A thread that
 * must act within a few milliseconds on a loaded machine (a VRRP master at a 10 ms advert interval: its
 * backup declares it dead after 36 ms of silence) cannot rely on CFS; keepalived does the same with
 * {@code vrrp_rt_priority}. Needs CAP_SYS_NICE (or an RLIMIT_RTPRIO allowance).
 */
public final class ThreadScheduling {
    /** {@code <sched.h>} SCHED_RR. */
    public static final int SCHED_RR = 2;

    private ThreadScheduling() {
    }

    /** Puts the calling thread in SCHED_RR at {@code priority} (1–99); throws with errno (e.g. EPERM) if refused. */
    public static void roundRobin(int priority) {
        roundRobin(0, priority, Thread.currentThread().getName());
    }

    /**
     * Puts every thread of this process whose kernel name ({@code /proc/self/task/TID/comm}) matches
     * {@code names} in SCHED_RR. For the JVM's own threads, which Java cannot reach: with a stop-the-world
     * collector the "VM Thread" / "GC Thread#n" run the pause, and a real-time thread waiting for a pause that
     * runs at normal priority on a loaded machine waits as long as the scheduler makes it. Returns the names set.
     */
    public static java.util.List<String> roundRobinProcessThreads(java.util.function.Predicate<String> names, int priority) {
        java.util.List<String> done = new java.util.ArrayList<>();
        java.io.File[] tasks = new java.io.File("/proc/self/task").listFiles();
        if (tasks == null) {
            return done;
        }
        for (java.io.File task : tasks) {
            try {
                String comm = java.nio.file.Files.readString(task.toPath().resolve("comm")).trim();
                if (names.test(comm)) {
                    roundRobin(Integer.parseInt(task.getName()), priority, comm);
                    done.add(comm);
                }
            } catch (java.io.IOException | NumberFormatException e) {
                // the thread ended meanwhile
            }
        }
        return done;
    }

    private static void roundRobin(int tid, int priority, String name) {
        if (priority < 1 || priority > 99) {
            throw new IllegalArgumentException("real-time priority " + priority + " out of 1-99");
        }
        NativeBuffer param = NativeBuffer.allocate(8);
        param.buffer().putInt(0, priority); // struct sched_param {int sched_priority}
        if (Native.LIBC.sched_setscheduler(tid, SCHED_RR, param.pointer()) != 0) {
            throw ErrnoException.lastError("sched_setscheduler", "SCHED_RR priority " + priority + " for thread " + name);
        }
    }
}
