package org.lvsha.core.ipvs.admin;

/**
 * ipvsadm's listing options (its FMT_* flags). {@code numeric} is accepted but names are never resolved:
 * {@code -L} without {@code -n} prints numeric addresses and ports too.
 */
public record ListFormat(boolean numeric, boolean connections, boolean timeout, boolean daemon, boolean stats,
                         boolean rate, boolean thresholds, boolean persistentConn, boolean noSort, boolean exact,
                         boolean tunInfo) {

    public static final ListFormat DEFAULT = new ListFormat(true, false, false, false, false, false, false, false, false, false, false);
}
