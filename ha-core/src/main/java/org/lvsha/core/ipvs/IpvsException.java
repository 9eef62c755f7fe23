package org.lvsha.core.ipvs;

/**
 * A refused IPVS control operation: the errno (from the kernel, or the in-memory adapter's identical rule),
 * the operation and the object it was about. The message reads like ipvsadm's plus the object and the errno
 * name, e.g. {@code Service already exists: TCP 203.0.113.100:80 (EEXIST)}.
 */
public final class IpvsException extends RuntimeException {

    private final int errno;
    private final IpvsOperation operation;
    private final String object;

    public IpvsException(int errno, IpvsOperation operation, String object) {
        super(format(errno, operation, object));
        this.errno = errno;
        this.operation = operation;
        this.object = object;
    }

    public IpvsException(Errno errno, IpvsOperation operation, String object) {
        this(errno.number(), operation, object);
    }

    private static String format(int errno, IpvsOperation operation, String object) {
        String text = operation.message(errno);
        return (object == null || object.isEmpty() ? text : text + ": " + object) + " (" + Errno.nameOf(errno) + ")";
    }

    public int errno() {
        return errno;
    }

    public IpvsOperation operation() {
        return operation;
    }

    /** What the operation was about, e.g. {@code TCP 203.0.113.100:80 -> 10.0.0.11:80}; may be empty. */
    public String object() {
        return object;
    }

    /** Exactly what ipvsadm prints for this failure (its {@code ipvs_strerror} text). */
    public String ipvsadmText() {
        return operation.message(errno);
    }
}
