package org.lvsha.core.ipvs.sched;

import java.util.Arrays;
import java.util.List;

import org.lvsha.core.ipvs.Destination;
import org.lvsha.core.ipvs.DestinationStatus;

/**
 * A primitive-array {@link DestinationTable} with the kernel's connection accounting and overload rule
 * (ip_vs_conn.c {@code ip_vs_bind_dest}/{@code ip_vs_unbind_dest}): a destination becomes overloaded when
 * active + inactive ≥ upper threshold, and stops being overloaded when the total drops under the lower
 * threshold, or under 3/4 of the upper threshold when the lower one is 0. No method allocates except
 * {@link #add}, which grows the arrays.
 */
public final class DestinationArray implements DestinationTable {

    private int size;
    private byte[][] addresses = new byte[4][];
    private int[] ports = new int[4];
    private int[] weights = new int[4];
    private int[] lastWeights = new int[4];
    private int[] upper = new int[4];
    private int[] lower = new int[4];
    private int[] active = new int[4];
    private int[] inactive = new int[4];
    private boolean[] overload = new boolean[4];

    /**
     * A table in the listed order with the listed weights, thresholds and connection counts (the overload flag
     * starts clear, as for a destination the kernel has just bound).
     */
    public static DestinationArray of(List<DestinationStatus> destinations) {
        DestinationArray t = new DestinationArray();
        for (DestinationStatus ds : destinations) {
            Destination d = ds.destination();
            int i = t.add(d.address().getAddress(), d.port(), d.weight(), d.upperThreshold(), d.lowerThreshold());
            t.setConnections(i, ds.activeConns(), ds.inactiveConns());
        }
        return t;
    }

    /** Appends a destination and returns its index. */
    public int add(byte[] address, int port, int weight, int upperThreshold, int lowerThreshold) {
        if (size == weights.length) {
            int n = size * 2;
            addresses = Arrays.copyOf(addresses, n);
            ports = Arrays.copyOf(ports, n);
            weights = Arrays.copyOf(weights, n);
            lastWeights = Arrays.copyOf(lastWeights, n);
            upper = Arrays.copyOf(upper, n);
            lower = Arrays.copyOf(lower, n);
            active = Arrays.copyOf(active, n);
            inactive = Arrays.copyOf(inactive, n);
            overload = Arrays.copyOf(overload, n);
        }
        int i = size++;
        addresses[i] = address.clone();
        ports[i] = port;
        weights[i] = weight;
        lastWeights[i] = weight;
        upper[i] = upperThreshold;
        lower[i] = lowerThreshold;
        active[i] = 0;
        inactive[i] = 0;
        overload[i] = false;
        return i;
    }

    /** Removes the destination at {@code index}; later ones move down by one, as in a list. */
    public void remove(int index) {
        checkIndex(index);
        int tail = size - index - 1;
        System.arraycopy(addresses, index + 1, addresses, index, tail);
        System.arraycopy(ports, index + 1, ports, index, tail);
        System.arraycopy(weights, index + 1, weights, index, tail);
        System.arraycopy(lastWeights, index + 1, lastWeights, index, tail);
        System.arraycopy(upper, index + 1, upper, index, tail);
        System.arraycopy(lower, index + 1, lower, index, tail);
        System.arraycopy(active, index + 1, active, index, tail);
        System.arraycopy(inactive, index + 1, inactive, index, tail);
        System.arraycopy(overload, index + 1, overload, index, tail);
        size--;
        addresses[size] = null;
    }

    /** Changes the weight; a positive weight also becomes the last weight (kernel {@code last_weight}). */
    public void setWeight(int index, int weight) {
        checkIndex(index);
        weights[index] = weight;
        if (weight > 0) {
            lastWeights[index] = weight;
        }
    }

    public void setThresholds(int index, int upperThreshold, int lowerThreshold) {
        checkIndex(index);
        upper[index] = upperThreshold;
        lower[index] = lowerThreshold;
        if (upperThreshold == 0) {
            overload[index] = false;
        }
    }

    /** Sets live counters directly (e.g. from a snapshot), without touching the overload flag. */
    public void setConnections(int index, int activeConns, int inactiveConns) {
        checkIndex(index);
        active[index] = activeConns;
        inactive[index] = inactiveConns;
    }

    /** A new connection bound to the destination (active if {@code activeState}); may set OVERLOAD. */
    public void connectionBound(int index, boolean activeState) {
        checkIndex(index);
        if (activeState) {
            active[index]++;
        } else {
            inactive[index]++;
        }
        if (upper[index] != 0 && active[index] + inactive[index] >= upper[index]) {
            overload[index] = true;
        }
    }

    /** An active connection became inactive (e.g. TCP FIN). */
    public void connectionDeactivated(int index) {
        checkIndex(index);
        active[index]--;
        inactive[index]++;
    }

    /** A connection expired; may clear OVERLOAD under the lower threshold (or 3/4 of the upper one). */
    public void connectionUnbound(int index, boolean activeState) {
        checkIndex(index);
        if (activeState) {
            active[index]--;
        } else {
            inactive[index]--;
        }
        int total = active[index] + inactive[index];
        if (lower[index] != 0) {
            if (total < lower[index]) {
                overload[index] = false;
            }
        } else if (upper[index] != 0) {
            if ((long) total * 4 < (long) upper[index] * 3) {
                overload[index] = false;
            }
        } else {
            overload[index] = false;
        }
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public int weight(int index) {
        return weights[index];
    }

    @Override
    public int lastWeight(int index) {
        return lastWeights[index];
    }

    @Override
    public int activeConns(int index) {
        return active[index];
    }

    @Override
    public int inactiveConns(int index) {
        return inactive[index];
    }

    @Override
    public boolean overloaded(int index) {
        return overload[index];
    }

    @Override
    public byte[] address(int index) {
        return addresses[index];
    }

    @Override
    public int port(int index) {
        return ports[index];
    }

    private void checkIndex(int index) {
        if (index < 0 || index >= size) {
            throw new IndexOutOfBoundsException(index);
        }
    }
}
