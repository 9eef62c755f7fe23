package org.lvsha.core.ipvs.sched;

import java.util.Arrays;

/**
 * Remembers destination identities (address, port) between list changes, so schedulers whose state refers to
 * destinations (the lblc/lblcr caches) can follow them to their new index, as the kernel's pointers do.
 */
final class DestinationRenumbering {

    private byte[][] addresses = new byte[0][];
    private int[] ports = new int[0];

    /** old index → new index (-1 for a removed destination); then remembers the new list. */
    int[] update(DestinationTable table) {
        int n = table.size();
        int[] map = new int[addresses.length];
        Arrays.fill(map, -1);
        for (int old = 0; old < addresses.length; old++) {
            for (int i = 0; i < n; i++) {
                if (ports[old] == table.port(i) && Arrays.equals(addresses[old], table.address(i))) {
                    map[old] = i;
                    break;
                }
            }
        }
        addresses = new byte[n][];
        ports = new int[n];
        for (int i = 0; i < n; i++) {
            addresses[i] = table.address(i).clone();
            ports[i] = table.port(i);
        }
        return map;
    }
}
