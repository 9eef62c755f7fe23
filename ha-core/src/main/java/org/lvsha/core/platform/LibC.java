package org.lvsha.core.platform;

import jnr.ffi.Pointer;
import jnr.ffi.types.off_t;
import jnr.ffi.types.size_t;
import jnr.ffi.types.ssize_t;

/**
 * The few libc entry points the platform layer needs, bound through jnr-ffi. Use {@link Native#LIBC}.
 *
 * <p>Structures are passed as {@link Pointer}s into {@link NativeBuffer}s laid out by the caller
 * (see {@link SockAddr}); jnr-ffi saves {@code errno} after every call, read it with {@link Native#errno()}.
 * {@code fcntl} and {@code open} are variadic in C; passing one extra {@code int} is ABI-compatible on
 * the 64-bit Linux targets we support (x86-64, aarch64).
 */
public interface LibC {
    int socket(int domain, int type, int protocol);

    int bind(int fd, Pointer addr, int addrLen);

    int setsockopt(int fd, int level, int option, Pointer value, int valueLen);

    int getsockopt(int fd, int level, int option, Pointer value, Pointer valueLen);

    @ssize_t long sendto(int fd, Pointer buf, @size_t long len, int flags, Pointer addr, int addrLen);

    /**
     * Pointer-typed on purpose: declared with primitive {@code long} addresses, jnr-ffi's all-primitive fast path
     * passed wrong arguments here (mmap failed with EINVAL on a valid anonymous mapping).
     */
    Pointer mmap(Pointer addr, @size_t long length, int prot, int flags, int fd, @off_t long offset);

    int munmap(Pointer addr, @size_t long length);

    @ssize_t long sendmsg(int fd, Pointer msghdr, int flags);

    /** struct mmsghdr array; returns how many were sent, or -1. */
    int sendmmsg(int fd, Pointer msgvec, int vlen, int flags);

    @ssize_t long recvmsg(int fd, Pointer msghdr, int flags);

    @ssize_t long recvfrom(int fd, Pointer buf, @size_t long len, int flags, Pointer addr, Pointer addrLen);

    int poll(Pointer fds, long nfds, int timeoutMillis);

    /** poll(2) with a {@code struct timespec} timeout: nanosecond resolution (a 10 ms VRRP timer needs better than ms). */
    int ppoll(Pointer fds, long nfds, Pointer timespec, Pointer sigmask);

    int eventfd(int initval, int flags);

    int sched_setscheduler(int pid, int policy, Pointer param);

    @ssize_t long read(int fd, Pointer buf, @size_t long count);

    @ssize_t long write(int fd, Pointer buf, @size_t long count);

    int close(int fd);

    int fcntl(int fd, int cmd, int arg);

    int setns(int fd, int nstype);

    int if_nametoindex(String name);

    int open(String path, int flags, int mode);

    String strerror(int errnum);
}
