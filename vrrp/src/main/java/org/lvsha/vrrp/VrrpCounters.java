package org.lvsha.vrrp;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import org.lvsha.vrrp.codec.RejectReason;
import org.lvsha.vrrp.proto.State;

/**
 * What a node or an instance has seen, as plain counters: written by the node thread, read by anyone
 * (metrics, status). Receive counters: {@link #receivedOk()} plus one per {@link RejectReason}.
 */
public final class VrrpCounters {
    private final LongAdder receivedOk = new LongAdder();
    private final LongAdder[] rejected = new LongAdder[RejectReason.values().length];
    private final LongAdder[] transitionsTo = new LongAdder[State.values().length];
    private final LongAdder advertsSent = new LongAdder();
    private final LongAdder priorityZeroSent = new LongAdder();
    private final LongAdder priorityZeroReceived = new LongAdder();
    private final LongAdder sendErrors = new LongAdder();
    private final LongAdder addressErrors = new LongAdder();
    private final LongAdder announcements = new LongAdder();
    private volatile long maxAdvertLateNanos;

    public VrrpCounters() {
        for (int i = 0; i < rejected.length; i++) {
            rejected[i] = new LongAdder();
        }
        for (int i = 0; i < transitionsTo.length; i++) {
            transitionsTo[i] = new LongAdder();
        }
    }

    public void received() {
        receivedOk.increment();
    }

    public void rejected(RejectReason r) {
        rejected[r.ordinal()].increment();
    }

    public void transition(State to) {
        transitionsTo[to.ordinal()].increment();
    }

    public void advertSent(int priority) {
        advertsSent.increment();
        if (priority == 0) {
            priorityZeroSent.increment();
        }
    }

    public void countPriorityZeroReceived() {
        priorityZeroReceived.increment();
    }

    /**
     * A master's advert went out {@code nanos} later than Adver_Interval after the previous one (node thread
     * only). Late adverts are what a backup sees as a dead master: a pause longer than Master_Down_Interval
     * minus the interval means a spurious takeover.
     */
    public void advertLate(long nanos) {
        if (nanos > maxAdvertLateNanos) {
            maxAdvertLateNanos = nanos;
        }
    }

    /** The largest {@link #advertLate} so far. */
    public long maxAdvertLateNanos() {
        return maxAdvertLateNanos;
    }

    public void sendError() {
        sendErrors.increment();
    }

    public void addressError() {
        addressErrors.increment();
    }

    public void announced(int n) {
        announcements.add(n);
    }

    public long receivedOk() {
        return receivedOk.sum();
    }

    public long rejectedCount(RejectReason r) {
        return rejected[r.ordinal()].sum();
    }

    public long transitionsTo(State s) {
        return transitionsTo[s.ordinal()].sum();
    }

    public long advertsSent() {
        return advertsSent.sum();
    }

    public long priorityZeroSent() {
        return priorityZeroSent.sum();
    }

    public long priorityZeroReceived() {
        return priorityZeroReceived.sum();
    }

    public long sendErrors() {
        return sendErrors.sum();
    }

    public long addressErrors() {
        return addressErrors.sum();
    }

    public long announcements() {
        return announcements.sum();
    }

    /** All rejection counters, zeros included. */
    public Map<RejectReason, Long> rejections() {
        Map<RejectReason, Long> m = new EnumMap<>(RejectReason.class);
        for (RejectReason r : RejectReason.values()) {
            m.put(r, rejected[r.ordinal()].sum());
        }
        return m;
    }
}
