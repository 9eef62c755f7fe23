package org.lvsha.vrrp.notify;

import org.lvsha.vrrp.proto.State;
import org.lvsha.vrrp.proto.TransitionReason;

/**
 * One state change of an instance or a sync group, numbered by the node in the order it happened.
 *
 * @param type   {@code INSTANCE} or {@code GROUP} (keepalived's notify TYPE)
 * @param to     the new state; a stopped instance is INITIALIZE, reported to hooks as {@code STOP}
 */
public record TransitionEvent(long sequence, long monotonicNanos, String type, String name, State from, State to,
                              TransitionReason reason, int priority) {

    /** keepalived's STATE argument: MASTER, BACKUP, FAULT or STOP. */
    public String hookState() {
        return to == State.INITIALIZE ? "STOP" : to.name();
    }

    /** One JSON object on one line. Names are operator-chosen, so they are escaped. */
    public String toJson() {
        return "{\"seq\":" + sequence + ",\"monotonic_ns\":" + monotonicNanos + ",\"type\":\"" + type + "\",\"name\":\""
                + escape(name) + "\",\"from\":\"" + from + "\",\"to\":\"" + to + "\",\"state\":\"" + hookState()
                + "\",\"reason\":\"" + reason + "\",\"priority\":" + priority + "}";
    }

    static String escape(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.toString();
    }
}
