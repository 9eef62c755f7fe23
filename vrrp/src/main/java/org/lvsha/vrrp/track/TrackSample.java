package org.lvsha.vrrp.track;

import java.util.OptionalLong;

/** One result from a tracker thread, handed to the node's thread. */
public record TrackSample(String instance, int index, boolean ok, OptionalLong value) {
    public static TrackSample of(String instance, int index, boolean ok) {
        return new TrackSample(instance, index, ok, OptionalLong.empty());
    }

    public static TrackSample file(String instance, int index, OptionalLong value) {
        return new TrackSample(instance, index, value.isPresent(), value);
    }
}
