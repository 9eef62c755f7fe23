package org.lvsha.core.ipvs;

/** The Linux errno values the IPVS control path produces, with their symbolic names and strerror text. */
public enum Errno {
    EPERM(1, "Operation not permitted"),
    ENOENT(2, "No such file or directory"),
    ESRCH(3, "No such process"),
    ENOMEM(12, "Cannot allocate memory"),
    EBUSY(16, "Device or resource busy"),
    EEXIST(17, "File exists"),
    ENODEV(19, "No such device"),
    EINVAL(22, "Invalid argument"),
    ERANGE(34, "Numerical result out of range"),
    EMSGSIZE(90, "Message too long"),
    ENOPROTOOPT(92, "Protocol not available"),
    EOPNOTSUPP(95, "Operation not supported"),
    EAFNOSUPPORT(97, "Address family not supported by protocol");

    private final int number;
    private final String text;

    Errno(int number, String text) {
        this.number = number;
        this.text = text;
    }

    public int number() {
        return number;
    }

    /** strerror(3) text. */
    public String text() {
        return text;
    }

    /** The symbolic name for a number, or {@code errno N} for one not listed here. */
    public static String nameOf(int number) {
        for (Errno e : values()) {
            if (e.number == number) {
                return e.name();
            }
        }
        return "errno " + number;
    }

    public static String textOf(int number) {
        for (Errno e : values()) {
            if (e.number == number) {
                return e.text;
            }
        }
        return "Unknown error " + number;
    }
}
