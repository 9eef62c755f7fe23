package org.lvsha.dist.daemon;

import java.nio.charset.StandardCharsets;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import org.lvsha.core.platform.Native;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * sd_notify(3) without libsystemd: one datagram on the AF_UNIX socket named by {@code NOTIFY_SOCKET} (a path, or
 * an abstract name when it starts with {@code @}). Does nothing when the variable is unset, so {@code lvsha run}
 * behaves the same outside systemd. Java's own channels have no unix datagram sockets, hence the platform layer.
 */
public final class SystemdNotifier {
    private static final Logger LOG = LoggerFactory.getLogger(SystemdNotifier.class);
    private static final int AF_UNIX = 1;
    private static final int SUN_PATH = 108;

    private final String socket;

    private SystemdNotifier(String socket) {
        this.socket = socket;
    }

    public static SystemdNotifier fromEnvironment() {
        String s = System.getenv("NOTIFY_SOCKET");
        return new SystemdNotifier(s == null || s.isEmpty() ? null : s);
    }

    public boolean enabled() {
        return socket != null;
    }

    /** The watchdog period systemd expects pings within ({@code WATCHDOG_USEC}), or 0 when none. */
    public static long watchdogMicros() {
        String s = System.getenv("WATCHDOG_USEC");
        try {
            return s == null ? 0 : Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** Sends {@code state} (e.g. {@code READY=1}, {@code WATCHDOG=1}, {@code STOPPING=1}); failures are logged, never thrown. */
    public void send(String state) {
        if (socket == null) {
            return;
        }
        byte[] path = socket.getBytes(StandardCharsets.UTF_8);
        if (path.length >= SUN_PATH) {
            LOG.warn("NOTIFY_SOCKET too long for sockaddr_un: {}", socket);
            return;
        }
        int fd = Native.LIBC.socket(AF_UNIX, Native.SOCK_DGRAM | Native.SOCK_CLOEXEC, 0);
        if (fd < 0) {
            LOG.warn("sd_notify: socket(AF_UNIX) failed: errno {}", jnr.ffi.LastError.getLastError(Native.RUNTIME));
            return;
        }
        try {
            Pointer addr = Memory.allocateDirect(Native.RUNTIME, 2 + SUN_PATH);
            addr.putShort(0, (short) AF_UNIX);
            addr.put(2, path, 0, path.length);
            if (path[0] == '@') {
                addr.putByte(2, (byte) 0); // abstract namespace: a leading NUL, the length counts exactly
            } else {
                addr.putByte(2 + path.length, (byte) 0);
            }
            int len = 2 + path.length + (path[0] == '@' ? 0 : 1);
            byte[] msg = state.getBytes(StandardCharsets.UTF_8);
            Pointer buf = Memory.allocateDirect(Native.RUNTIME, msg.length);
            buf.put(0, msg, 0, msg.length);
            long sent = Native.LIBC.sendto(fd, buf, msg.length, 0, addr, len);
            if (sent < 0) {
                LOG.warn("sd_notify {} to {} failed: errno {}", state, socket, jnr.ffi.LastError.getLastError(Native.RUNTIME));
            }
        } finally {
            Native.LIBC.close(fd);
        }
    }
}
