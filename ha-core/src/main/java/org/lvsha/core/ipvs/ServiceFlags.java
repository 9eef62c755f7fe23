package org.lvsha.core.ipvs;

/** {@code IP_VS_SVC_F_*} bits (§2.4). The scheduler flags SCHED1..3 are named per scheduler by ipvsadm. */
public final class ServiceFlags {
    public static final int PERSISTENT = 0x0001;
    /** Kernel-internal; stripped by the kernel on add. */
    public static final int HASHED = 0x0002;
    public static final int ONEPACKET = 0x0004;
    public static final int SCHED1 = 0x0008;
    public static final int SCHED2 = 0x0010;
    public static final int SCHED3 = 0x0020;
    public static final int SCHED_MASK = SCHED1 | SCHED2 | SCHED3;

    /** sh and mh: fall back to another destination when the hashed one is unavailable. */
    public static final int SH_FALLBACK = SCHED1;
    /** sh and mh: hash the source port too. */
    public static final int SH_PORT = SCHED2;
    public static final int MH_FALLBACK = SCHED1;
    public static final int MH_PORT = SCHED2;

    private ServiceFlags() {
    }

    /** ipvsadm's names for the scheduler flag bits (ipvsadm.8 {@code -b}): sh-*, mh-*, else flag-1..3. */
    public static String names(String scheduler, int flags) {
        StringBuilder sb = new StringBuilder();
        String[] names;
        if ("sh".equals(scheduler)) {
            names = new String[] {"sh-fallback", "sh-port", null};
        } else if ("mh".equals(scheduler)) {
            names = new String[] {"mh-fallback", "mh-port", null};
        } else {
            names = new String[] {"flag-1", "flag-2", "flag-3"};
        }
        int[] bits = {SCHED1, SCHED2, SCHED3};
        for (int i = 0; i < 3; i++) {
            if ((flags & bits[i]) != 0 && names[i] != null) {
                if (sb.length() > 0) {
                    sb.append(',');
                }
                sb.append(names[i]);
            }
        }
        return sb.toString();
    }

    /** Parses {@code -b sh-fallback,sh-port} for the given scheduler; unknown names throw. */
    public static int parse(String scheduler, String list) {
        int flags = 0;
        for (String name : list.split(",")) {
            switch (name.trim()) {
                case "flag-1" -> flags |= SCHED1;
                case "flag-2" -> flags |= SCHED2;
                case "flag-3" -> flags |= SCHED3;
                case "sh-fallback" -> flags |= requireScheduler(scheduler, "sh", name, SH_FALLBACK);
                case "sh-port" -> flags |= requireScheduler(scheduler, "sh", name, SH_PORT);
                case "mh-fallback" -> flags |= requireScheduler(scheduler, "mh", name, MH_FALLBACK);
                case "mh-port" -> flags |= requireScheduler(scheduler, "mh", name, MH_PORT);
                default -> throw new IllegalArgumentException("invalid scheduler flag: " + name);
            }
        }
        return flags;
    }

    private static int requireScheduler(String scheduler, String expected, String name, int bit) {
        if (!expected.equals(scheduler)) {
            throw new IllegalArgumentException(name + " is only valid with the " + expected + " scheduler");
        }
        return bit;
    }
}
