package org.lvsha.core.platform;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * A system call or netlink request that the kernel refused, carrying what a person needs to act:
 * the operation, the object it was applied to, the errno name and libc's text, and the kernel's
 * extended-ack message when it sent one. Example: {@code RTM_NEWADDR 192.0.2.100/24 dev eth0: EEXIST (File exists)}.
 */
public class ErrnoException extends UncheckedIOException {
    private static final long serialVersionUID = 1L;
    private final String operation;
    private final String object;
    private final int errno;
    private final String kernelMessage;

    public ErrnoException(String operation, String object, int errno, String kernelMessage) {
        super(new IOException(format(operation, object, errno, kernelMessage)));
        this.operation = operation;
        this.object = object;
        this.errno = Math.abs(errno);
        this.kernelMessage = kernelMessage;
    }

    /** Builds the exception from the errno the last libc call on this thread left. */
    public static ErrnoException lastError(String operation, String object) {
        return new ErrnoException(operation, object, Native.errno(), null);
    }

    private static String format(String operation, String object, int errno, String kernelMessage) {
        StringBuilder sb = new StringBuilder(operation);
        if (object != null && !object.isEmpty()) {
            sb.append(' ').append(object);
        }
        sb.append(": ").append(Errno.name(errno));
        String text = describe(errno);
        if (text != null || kernelMessage != null) {
            sb.append(" (");
            if (text != null) {
                sb.append(text);
            }
            if (kernelMessage != null && !kernelMessage.isEmpty()) {
                sb.append(text != null ? "; " : "").append("kernel: ").append(kernelMessage);
            }
            sb.append(')');
        }
        return sb.toString();
    }

    private static String describe(int errno) {
        try {
            return Native.LIBC.strerror(Math.abs(errno));
        } catch (LinkageError e) {
            return null; // codec tests build these without libc; the name alone is enough there
        }
    }

    @Override
    public String getMessage() {
        return getCause().getMessage();
    }

    public String operation() {
        return operation;
    }

    public String object() {
        return object;
    }

    /** The positive errno value. */
    public int errno() {
        return errno;
    }

    /** The kernel's extended-ack text (netlink) or our own detail, or null. */
    public String kernelMessage() {
        return kernelMessage;
    }

    public String errnoName() {
        return Errno.name(errno);
    }
}
