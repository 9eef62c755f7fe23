package org.lvsha.core.platform;

import jnr.ffi.LibraryLoader;
import jnr.ffi.Platform;
import jnr.ffi.Runtime;

/**
 * The loaded libc and the constants from Linux headers that jnr-constants does not have (or that we
 * want spelled out next to their header). Loaded on first use, so pure codec code never touches it.
 *
 * <p>Struct layouts in this package assume LP64 (pointers and {@code size_t} are 8 bytes), checked here.
 */
public final class Native {
    public static final LibC LIBC = LibraryLoader.create(LibC.class)
            .load(Platform.getNativePlatform().getStandardCLibraryName());
    public static final Runtime RUNTIME = Runtime.getRuntime(LIBC);

    static {
        if (RUNTIME.addressSize() != 8) {
            throw new ExceptionInInitializerError("the platform layer supports 64-bit Linux only (address size " + RUNTIME.addressSize() + ")");
        }
    }

    // <bits/socket.h>
    public static final int AF_INET = 2;
    public static final int AF_INET6 = 10;
    public static final int AF_NETLINK = 16;
    public static final int AF_PACKET = 17;
    public static final int SOCK_DGRAM = 2;
    public static final int SOCK_RAW = 3;
    public static final int SOCK_CLOEXEC = 0x80000;
    public static final int SOL_SOCKET = 1;
    public static final int SOL_PACKET = 263;
    public static final int SOL_NETLINK = 270;
    public static final int MSG_DONTWAIT = 0x40;
    public static final int MSG_TRUNC = 0x20;
    public static final int MSG_CTRUNC = 0x08;
    // <asm-generic/socket.h>
    public static final int SO_TYPE = 3;
    public static final int SO_SNDBUF = 7;
    public static final int SO_RCVBUF = 8;
    public static final int SO_BINDTODEVICE = 25;
    public static final int SO_ATTACH_FILTER = 26;
    // <fcntl.h>
    public static final int F_GETFL = 3;
    public static final int F_SETFL = 4;
    public static final int O_RDONLY = 0;
    public static final int O_NONBLOCK = 0x800;
    public static final int O_CLOEXEC = 0x80000;
    // <poll.h>
    public static final short POLLIN = 0x1;
    // <sys/eventfd.h>
    public static final int EFD_NONBLOCK = 0x800;
    public static final int EFD_CLOEXEC = 0x80000;
    // <sched.h>
    public static final int CLONE_NEWNET = 0x40000000;

    private Native() {
    }

    /** The errno saved by jnr-ffi after the last call on this thread. */
    public static int errno() {
        return RUNTIME.getLastError();
    }
}
