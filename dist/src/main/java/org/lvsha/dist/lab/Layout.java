package org.lvsha.dist.lab;

/** How the directors forward to the real servers, which decides the lab's shape. */
public enum Layout {
    /**
     * Direct routing: real servers hold the VIP on {@code lo} and answer the client directly, so
     * their replies need a path back to the outside that skips the director: the router.
     */
    DR,
    /** Masquerading: real servers route everything through the DIP, so replies pass the director. */
    NAT;

    public static Layout parse(String s) {
        return valueOf(s.strip().toUpperCase(java.util.Locale.ROOT));
    }
}
