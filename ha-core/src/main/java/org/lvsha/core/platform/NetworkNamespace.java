package org.lvsha.core.platform;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Moves the calling thread into a named network namespace ({@code /var/run/netns/NAME}, as made by
 * {@code ip netns add}) with {@code setns(fd, CLONE_NEWNET)}. Only that thread moves: the rest of the
 * JVM stays where it was, which is what lets one JVM run several lab nodes.
 *
 * <p>Sockets belong to the namespace of the thread that <em>created</em> them and keep it for life:
 * open a node's sockets on a thread inside its namespace (or through {@link #call}), after which any
 * thread may use them. Calls that resolve names through the calling thread's namespace
 * ({@code if_nametoindex}) must likewise run inside it.
 */
public final class NetworkNamespace {
    private static final String NETNS_DIR = "/var/run/netns/";

    private NetworkNamespace() {
    }

    /** A thread that entered a namespace; {@link #close()} returns it to where it was. */
    public static final class Entered implements AutoCloseable {
        private final int originalFd;
        private final Thread thread;

        private Entered(int originalFd) {
            this.originalFd = originalFd;
            this.thread = Thread.currentThread();
        }

        @Override
        public void close() {
            if (Thread.currentThread() != thread) {
                throw new IllegalStateException("a namespace must be left by the thread that entered it");
            }
            try {
                if (Native.LIBC.setns(originalFd, Native.CLONE_NEWNET) != 0) {
                    throw ErrnoException.lastError("setns", "back to the original namespace");
                }
            } finally {
                Native.LIBC.close(originalFd);
            }
        }
    }

    /** Moves the calling thread into namespace {@code name}; close the result on the same thread. */
    public static Entered enter(String name) {
        int original = openNamespace("/proc/thread-self/ns/net", "own namespace");
        try {
            setns(NETNS_DIR + name, name);
            return new Entered(original);
        } catch (RuntimeException e) {
            Native.LIBC.close(original);
            throw e;
        }
    }

    /**
     * Runs {@code task} on a fresh thread inside namespace {@code name} and returns its result; the
     * thread ends afterwards, so nothing else ever runs in a borrowed namespace by accident.
     */
    public static <T> T call(String name, Callable<T> task) {
        AtomicReference<T> result = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                setns(NETNS_DIR + name, name);
                result.set(task.call());
            } catch (Throwable e) {
                failure.set(e);
            }
        }, "netns-" + name);
        t.setDaemon(true);
        t.start();
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running in namespace " + name, e);
        }
        Throwable e = failure.get();
        if (e instanceof RuntimeException re) {
            throw re;
        }
        if (e instanceof Error err) {
            throw err;
        }
        if (e != null) {
            throw new IllegalStateException("task in namespace " + name + " failed", new ExecutionException(e));
        }
        return result.get();
    }

    private static void setns(String path, String name) {
        int fd = openNamespace(path, name);
        try {
            if (Native.LIBC.setns(fd, Native.CLONE_NEWNET) != 0) {
                throw ErrnoException.lastError("setns", "netns " + name);
            }
        } finally {
            Native.LIBC.close(fd);
        }
    }

    private static int openNamespace(String path, String name) {
        int fd = Native.LIBC.open(path, Native.O_RDONLY | Native.O_CLOEXEC, 0);
        if (fd < 0) {
            throw ErrnoException.lastError("open", path + " (netns " + name + ")");
        }
        return fd;
    }
}
