package org.lvsha.vrrp.track;

import java.util.List;
import java.util.OptionalLong;
import org.lvsha.vrrp.config.TrackConfig;

/**
 * Turns tracked-object results into an effective priority and a fault flag (keepalived semantics, the
 * RFCs being silent): weight 0 → failure is FAULT; weight &gt; 0 → added while healthy; weight &lt; 0 →
 * added while failed; a file's number is multiplied by its weight (weight 0: a non-zero number is
 * FAULT). The sum is clamped to 1..254; an address owner (255) is never adjusted (RFC 5798 §5.2.4:
 * 255 is reserved for the owner). Pure: results in, numbers out.
 */
public final class TrackPolicy {
    private final int configuredPriority;
    private final List<TrackConfig> tracks;
    private final boolean[] up;
    private final RiseFall[] riseFall;
    private final long[] fileValue;
    private final boolean[] fileReadable;

    public TrackPolicy(int configuredPriority, List<TrackConfig> tracks) {
        this.configuredPriority = configuredPriority;
        this.tracks = List.copyOf(tracks);
        int n = tracks.size();
        up = new boolean[n];
        riseFall = new RiseFall[n];
        fileValue = new long[n];
        fileReadable = new boolean[n];
        for (int i = 0; i < n; i++) {
            up[i] = true; // optimistic start: an instance is not held in FAULT before its first result
            fileReadable[i] = true;
            if (tracks.get(i) instanceof TrackConfig.Script s) {
                riseFall[i] = new RiseFall(s.rise(), s.fall(), true);
            }
        }
    }

    public void linkState(int index, boolean linkUp) {
        up[index] = linkUp;
    }

    /** A script finished (exit 0 = success, anything else or timeout = failure); rise/fall decide the state. */
    public void scriptResult(int index, boolean success) {
        up[index] = riseFall[index].record(success);
    }

    /** A file was read; empty when it is missing or does not hold an integer. */
    public void fileValue(int index, OptionalLong value) {
        fileReadable[index] = value.isPresent();
        fileValue[index] = value.orElse(0);
    }

    public boolean fault() {
        return faultReason() != null;
    }

    /** The first tracked object holding the instance in FAULT, or null. */
    public String faultReason() {
        for (int i = 0; i < tracks.size(); i++) {
            TrackConfig t = tracks.get(i);
            if (t.weight() != 0) {
                continue;
            }
            if (t instanceof TrackConfig.File) {
                if (!fileReadable[i] || fileValue[i] != 0) {
                    return t.describe() + (fileReadable[i] ? " holds " + fileValue[i] : " unreadable");
                }
            } else if (!up[i]) {
                return t.describe() + " down";
            }
        }
        return null;
    }

    public int effectivePriority() {
        if (configuredPriority == 255) {
            return 255;
        }
        long p = configuredPriority;
        for (int i = 0; i < tracks.size(); i++) {
            TrackConfig t = tracks.get(i);
            int w = t.weight();
            if (w == 0) {
                continue;
            }
            if (t instanceof TrackConfig.File) {
                p += fileReadable[i] ? fileValue[i] * w : 0; // an unreadable file moves nothing
            } else if (w > 0 && up[i] || w < 0 && !up[i]) {
                p += w;
            }
        }
        return (int) Math.max(1, Math.min(254, p));
    }

    public int size() {
        return tracks.size();
    }

    public TrackConfig track(int i) {
        return tracks.get(i);
    }
}
