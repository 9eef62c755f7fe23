package org.lvsha.core.dataplane;

import java.util.Arrays;

/**
 * A fixed-capacity IPv4 connection table in primitive arrays (Agrona style: no object per connection, nothing
 * allocated after construction). Entries are found through two open-addressing indexes with linear probing and
 * backward-shift deletion:
 * <ul>
 *   <li>the <b>client side</b> (protocol, client address:port, virtual address:port), used for packets from
 *       clients; persistence templates live here too, marked by {@link #FLAG_TEMPLATE} in the key
 *       (client address masked, client port 0, as the kernel's {@code ip_vs_sched_persist});</li>
 *   <li>the <b>real-server side</b> (protocol, real server address:port, client address:port), used for NAT
 *       replies; only NAT entries are in it.</li>
 * </ul>
 * Expiry runs on a hashed timer wheel (doubly linked slots; a packet only moves the deadline forward, and the
 * wheel re-files an entry lazily when it reaches the old slot; a shorter deadline re-files at once).
 *
 * <p>Owned by one thread. Memory: {@link #BYTES_PER_ENTRY} bytes per entry.
 */
public final class ConnectionTable {
    /** IP_VS_CONN_F_* bits kept per entry (§1.6). The low three bits are the forwarding method. */
    public static final int FLAG_FWD_MASK = 0x0007;
    public static final int FLAG_NOOUTPUT = 0x0080;
    public static final int FLAG_INACTIVE = 0x0100;
    public static final int FLAG_TEMPLATE = 0x1000;
    /** Entry came from outside (sync), IP_VS_CONN_F_SYNC. */
    public static final int FLAG_SYNC = 0x0020;
    /** Local: the entry is no longer in the client-side index (a retired template). */
    public static final int FLAG_RETIRED = 0x10000;

    /**
     * Per entry: 13 ints (protocol, state, flags, caddr, ports, vaddr, daddr, dport, service, destination,
     * timeout, wheel next/prev), 3 longs (client MAC, expiry, scheduled tick), 1 int controller, 1 int (when the
     * entry was last announced), and 2 index slots of 4 bytes in each of 2 indexes sized twice the capacity.
     */
    public static final int BYTES_PER_ENTRY = 15 * 4 + 3 * 8 + 2 * 2 * 4;

    private static final int WHEEL_SLOTS = 1024;

    private final int capacity;
    private final int indexMask;
    private final long tickMillis;
    private final ConnectionListener listener;

    private final int[] protocol;
    private final int[] state;
    private final int[] flags;
    private final int[] clientAddress;
    /** client port << 16 | virtual port */
    private final int[] ports;
    private final int[] virtualAddress;
    private final int[] destinationAddress;
    private final int[] destinationPort;
    private final int[] service;
    private final int[] destination;
    private final int[] timeoutMillis;
    private final int[] controller;
    /** Table time (ms, truncated to int) of the entry's last event: created, state change or {@code refreshed}. */
    private final int[] announcedAt;
    private final long[] clientMac;
    private final long[] expiresAt;
    private final long[] scheduledTick;
    private final int[] wheelNext;
    private final int[] wheelPrev;
    private final int[] wheelHead = new int[WHEEL_SLOTS];
    private final int[] inIndex;
    private final int[] outIndex;
    private int freeHead;
    private int size;
    /** The last tick the wheel processed; Long.MIN_VALUE until the first create or expire tells the time. */
    private long lastTick = Long.MIN_VALUE;
    private boolean applyingSync;

    public ConnectionTable(int capacity, long tickMillis, ConnectionListener listener) {
        if (capacity < 1 || capacity > (1 << 26)) {
            throw new IllegalArgumentException("capacity " + capacity);
        }
        this.capacity = capacity;
        this.tickMillis = tickMillis;
        this.listener = listener;
        int indexSize = Integer.highestOneBit(capacity * 2 - 1) << 1;
        indexMask = indexSize - 1;
        protocol = new int[capacity];
        state = new int[capacity];
        flags = new int[capacity];
        clientAddress = new int[capacity];
        ports = new int[capacity];
        virtualAddress = new int[capacity];
        destinationAddress = new int[capacity];
        destinationPort = new int[capacity];
        service = new int[capacity];
        destination = new int[capacity];
        timeoutMillis = new int[capacity];
        controller = new int[capacity];
        announcedAt = new int[capacity];
        clientMac = new long[capacity];
        expiresAt = new long[capacity];
        scheduledTick = new long[capacity];
        wheelNext = new int[capacity];
        wheelPrev = new int[capacity];
        inIndex = new int[indexSize];
        outIndex = new int[indexSize];
        Arrays.fill(wheelHead, -1);
        Arrays.fill(protocol, -1);
        // Free list threaded through wheelNext.
        for (int i = 0; i < capacity; i++) {
            wheelNext[i] = i + 1 < capacity ? i + 1 : -1;
        }
        freeHead = 0;
    }

    /**
     * True while the owner applies a connection that came from sync ({@code DataPlane.insert}): the events it
     * causes reach the listener like any other, and a listener that replicates must not send them back.
     * Packet-driven events of a synced entry (the new master forwarding it) have this false.
     */
    public boolean applyingSync() {
        return applyingSync;
    }

    /** Marks the events that follow as caused by a sync insert, until called with false. Owner thread only. */
    public void applyingSync(boolean on) {
        applyingSync = on;
    }

    public int size() {
        return size;
    }

    public int capacity() {
        return capacity;
    }

    // ---- keys ----

    private static int hash(int a, int b, int c, int d) {
        int h = a * 0x9E3779B9;
        h ^= Integer.rotateLeft(b * 0x85EBCA6B, 13);
        h ^= Integer.rotateLeft(c * 0xC2B2AE35, 7);
        h ^= Integer.rotateLeft(d * 0x27D4EB2F, 19);
        h ^= h >>> 16;
        h *= 0x7FEB352D;
        h ^= h >>> 15;
        return h;
    }

    private static int templateBit(int entryFlags) {
        return (entryFlags & FLAG_TEMPLATE) != 0 ? 0x100 : 0;
    }

    private int inHash(int id) {
        return hash(protocol[id] | templateBit(flags[id]), clientAddress[id], ports[id], virtualAddress[id]);
    }

    private int outHash(int id) {
        return hash(protocol[id], destinationAddress[id], (ports[id] & 0xffff0000) | destinationPort[id], clientAddress[id]);
    }

    /** The connection of a client packet, or -1. */
    public int lookupIn(int proto, int caddr, int cport, int vaddr, int vport) {
        int p = (cport << 16) | vport;
        for (int i = hash(proto, caddr, p, vaddr) & indexMask, n = 0; n <= indexMask; i = (i + 1) & indexMask, n++) {
            int slot = inIndex[i];
            if (slot == 0) {
                return -1;
            }
            int id = slot - 1;
            if (protocol[id] == proto && clientAddress[id] == caddr && ports[id] == p && virtualAddress[id] == vaddr
                    && (flags[id] & FLAG_TEMPLATE) == 0) {
                return id;
            }
        }
        return -1;
    }

    /** The persistence template for a (masked) client address and service port, or -1. */
    public int lookupTemplate(int proto, int maskedClient, int vaddr, int vport) {
        int p = vport;
        for (int i = hash(proto | 0x100, maskedClient, p, vaddr) & indexMask, n = 0; n <= indexMask; i = (i + 1) & indexMask, n++) {
            int slot = inIndex[i];
            if (slot == 0) {
                return -1;
            }
            int id = slot - 1;
            if (protocol[id] == proto && clientAddress[id] == maskedClient && ports[id] == p && virtualAddress[id] == vaddr
                    && (flags[id] & FLAG_TEMPLATE) != 0) {
                return id;
            }
        }
        return -1;
    }

    /** The NAT connection of a real server's reply (source daddr:dport, destination caddr:cport), or -1. */
    public int lookupOut(int proto, int daddr, int dport, int caddr, int cport) {
        for (int i = hash(proto, daddr, (cport << 16) | dport, caddr) & indexMask, n = 0; n <= indexMask; i = (i + 1) & indexMask, n++) {
            int slot = outIndex[i];
            if (slot == 0) {
                return -1;
            }
            int id = slot - 1;
            if (protocol[id] == proto && destinationAddress[id] == daddr && destinationPort[id] == dport
                    && clientAddress[id] == caddr && (ports[id] >>> 16) == cport) {
                return id;
            }
        }
        return -1;
    }

    // ---- create / update ----

    /**
     * Adds an entry (a template when {@code entryFlags} has {@link #FLAG_TEMPLATE}: cport 0, caddr masked) and
     * publishes {@code created}. Returns its id, or -1 when the table is full. NAT entries (method MASQ = 0 and not
     * a template) are also indexed by the real-server side.
     */
    public int create(int proto, int caddr, int cport, int vaddr, int vport, int daddr, int dport, int entryFlags,
                      int serviceId, int destinationId, long mac, int initialState, long nowMillis, int timeout, int controllerId) {
        if (freeHead < 0) {
            return -1;
        }
        if (lastTick == Long.MIN_VALUE) {
            lastTick = tickOf(nowMillis) - 1;
        }
        int id = freeHead;
        freeHead = wheelNext[id];
        size++;
        protocol[id] = proto;
        clientAddress[id] = caddr;
        ports[id] = (cport << 16) | vport;
        virtualAddress[id] = vaddr;
        destinationAddress[id] = daddr;
        destinationPort[id] = dport;
        flags[id] = entryFlags;
        service[id] = serviceId;
        destination[id] = destinationId;
        clientMac[id] = mac;
        state[id] = initialState;
        timeoutMillis[id] = timeout;
        controller[id] = controllerId;
        expiresAt[id] = nowMillis + timeout;
        announcedAt[id] = (int) nowMillis;
        insert(inIndex, id, inHash(id));
        if (isNat(id)) {
            insert(outIndex, id, outHash(id));
        }
        schedule(id, tickOf(expiresAt[id]));
        listener.created(this, id);
        return id;
    }

    private boolean isNat(int id) {
        return (flags[id] & (FLAG_TEMPLATE | FLAG_FWD_MASK)) == 0;
    }

    /**
     * A packet refreshed the entry: it now expires {@code timeout} ms from now. When more than half of its
     * timeout has passed since its last event, the listener hears {@code refreshed}: a copy elsewhere that only
     * learns of events (connection sync) would otherwise time out under a connection that is busy but never
     * changes state — an established session idle for less than its timeout yet older than it.
     */
    public void touch(int id, long nowMillis, int timeout) {
        timeoutMillis[id] = timeout;
        setExpiry(id, nowMillis + timeout);
        if ((int) nowMillis - announcedAt[id] > timeout >>> 1) {
            announcedAt[id] = (int) nowMillis;
            listener.refreshed(this, id);
        }
    }

    /** Changes the state (publishing {@code stateChanged} when it differs) and refreshes the timeout. */
    public void setState(int id, int newState, long nowMillis, int timeout) {
        int old = state[id];
        state[id] = newState;
        if (old != newState) {
            announcedAt[id] = (int) nowMillis;
        }
        touch(id, nowMillis, timeout);
        if (old != newState) {
            listener.stateChanged(this, id, old);
        }
    }

    /** Sets flag bits (e.g. INACTIVE) without an event. */
    public void setFlags(int id, int newFlags) {
        flags[id] = newFlags;
    }

    /** Expires the entry at the next {@link #expire} call (removal from outside the packet path). */
    public void expireSoon(int id, long nowMillis) {
        setExpiry(id, nowMillis);
    }

    private void setExpiry(int id, long at) {
        expiresAt[id] = at;
        long tick = tickOf(at);
        if (tick < scheduledTick[id]) {
            unschedule(id);
            schedule(id, tick);
        }
    }

    /**
     * Advances the wheel to {@code nowMillis}: entries past their deadline are published as {@code expired} and
     * freed (unless {@code retain} says to keep them, see {@link ExpiryPolicy}). Returns how many expired.
     */
    public int expire(long nowMillis, ExpiryPolicy retain) {
        long now = tickOf(nowMillis);
        if (lastTick == Long.MIN_VALUE) {
            lastTick = now - 1;
        }
        int expired = 0;
        long from = Math.max(lastTick + 1, now - WHEEL_SLOTS + 1);
        for (long t = from; t <= now; t++) {
            int slot = (int) (t & (WHEEL_SLOTS - 1));
            int id = wheelHead[slot];
            // Bounded: every entry is visited at most once per slot pass (re-filed ones go to a later tick).
            int guard = capacity;
            while (id >= 0 && guard-- >= 0) {
                int next = wheelNext[id];
                if (scheduledTick[id] <= now) {
                    unschedule(id);
                    if (expiresAt[id] <= nowMillis && !retain.retain(this, id)) {
                        remove(id);
                        expired++;
                    } else {
                        long at = Math.max(tickOf(expiresAt[id]), now + 1);
                        schedule(id, at);
                    }
                }
                id = next;
            }
        }
        lastTick = now;
        return expired;
    }

    /** Decides whether an expired entry is kept (e.g. a template that still controls connections). */
    @FunctionalInterface
    public interface ExpiryPolicy {
        /** Return true to keep the entry; it should then have been given a new deadline. */
        boolean retain(ConnectionTable table, int id);

        ExpiryPolicy NEVER = (t, id) -> false;
    }

    private void remove(int id) {
        listener.expired(this, id);
        if ((flags[id] & FLAG_RETIRED) == 0) {
            delete(inIndex, id, true);
        }
        if (isNat(id)) {
            delete(outIndex, id, false);
        }
        protocol[id] = -1;
        wheelNext[id] = freeHead;
        freeHead = id;
        size--;
    }

    /** Removes one entry now, publishing {@code expired} (a sync update that moves a connection elsewhere). */
    public void removeNow(int id) {
        if (live(id)) {
            unschedule(id);
            remove(id);
        }
    }

    /** Removes every entry now, publishing {@code expired} for each. */
    public void clear() {
        for (int id = 0; id < capacity; id++) {
            if (protocol[id] >= 0) {
                unschedule(id);
                remove(id);
            }
        }
    }

    private long tickOf(long millis) {
        return Math.floorDiv(millis, tickMillis);
    }

    private void schedule(int id, long tick) {
        // A deadline in a tick the wheel has passed is due at the next one, not a whole turn later.
        tick = Math.max(tick, lastTick + 1);
        scheduledTick[id] = tick;
        int slot = (int) (tick & (WHEEL_SLOTS - 1));
        int head = wheelHead[slot];
        wheelNext[id] = head;
        wheelPrev[id] = -1 - slot;
        if (head >= 0) {
            wheelPrev[head] = id;
        }
        wheelHead[slot] = id;
    }

    private void unschedule(int id) {
        int prev = wheelPrev[id];
        int next = wheelNext[id];
        if (prev < 0) {
            wheelHead[-1 - prev] = next;
        } else {
            wheelNext[prev] = next;
        }
        if (next >= 0) {
            wheelPrev[next] = prev;
        }
        wheelNext[id] = -1;
    }

    private void insert(int[] index, int id, int h) {
        for (int i = h & indexMask, n = 0; n <= indexMask; i = (i + 1) & indexMask, n++) {
            if (index[i] == 0) {
                index[i] = id + 1;
                return;
            }
        }
        throw new IllegalStateException("index full");
    }

    /** Linear-probing deletion with backward shift, so lookups never need tombstones. */
    private void delete(int[] index, int id, boolean in) {
        int i = (in ? inHash(id) : outHash(id)) & indexMask;
        int n = 0;
        while (index[i] != id + 1) {
            if (index[i] == 0 || n++ > indexMask) {
                return;
            }
            i = (i + 1) & indexMask;
        }
        int hole = i;
        int j = hole;
        for (int k = 0; k <= indexMask; k++) {
            j = (j + 1) & indexMask;
            if (index[j] == 0) {
                break;
            }
            int other = index[j] - 1;
            int home = (in ? inHash(other) : outHash(other)) & indexMask;
            // Move it into the hole if its home is not cyclically in (hole, j].
            boolean homeInRange = hole <= j ? (home > hole && home <= j) : (home > hole || home <= j);
            if (!homeInRange) {
                index[hole] = index[j];
                hole = j;
            }
        }
        index[hole] = 0;
    }

    // ---- fields (flyweight reads for listeners, listings and sync) ----

    public boolean live(int id) {
        return id >= 0 && id < capacity && protocol[id] >= 0;
    }

    public int protocol(int id) {
        return protocol[id];
    }

    public int state(int id) {
        return state[id];
    }

    public int flags(int id) {
        return flags[id];
    }

    public int clientAddress(int id) {
        return clientAddress[id];
    }

    public int clientPort(int id) {
        return ports[id] >>> 16;
    }

    public int virtualAddress(int id) {
        return virtualAddress[id];
    }

    public int virtualPort(int id) {
        return ports[id] & 0xffff;
    }

    public int destinationAddress(int id) {
        return destinationAddress[id];
    }

    public int destinationPort(int id) {
        return destinationPort[id];
    }

    public int service(int id) {
        return service[id];
    }

    public int destination(int id) {
        return destination[id];
    }

    public long clientMac(int id) {
        return clientMac[id];
    }

    public void setClientMac(int id, long mac) {
        clientMac[id] = mac;
    }

    public int controller(int id) {
        return controller[id];
    }

    public long expiresAt(int id) {
        return expiresAt[id];
    }

    public int timeoutMillis(int id) {
        return timeoutMillis[id];
    }

    /** For a template: how many connections it controls (kernel {@code n_control}), kept in its controller slot. */
    public int controlledCount(int id) {
        return controller[id];
    }

    public void addControlled(int id, int delta) {
        controller[id] += delta;
    }

    /**
     * Makes a template unfindable while it lives on until its connections are gone (kernel
     * {@code ip_vs_check_template}: the template of an unavailable destination is unhashed and a new one made).
     */
    public void retire(int id, long nowMillis) {
        if ((flags[id] & FLAG_RETIRED) == 0) {
            delete(inIndex, id, true);
            flags[id] |= FLAG_RETIRED;
        }
        setExpiry(id, nowMillis);
    }

    public boolean template(int id) {
        return (flags[id] & FLAG_TEMPLATE) != 0;
    }
}
