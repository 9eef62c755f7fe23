package org.lvsha.sync.kernel;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/** Datagrams and entries seen by a {@link KernelSyncCodec} user, and rejections per reason. */
public final class KernelSyncCounters {
    private final LongAdder datagramsAccepted = new LongAdder();
    private final LongAdder entriesAccepted = new LongAdder();
    private final EnumMap<KernelSyncRejection, LongAdder> rejections = new EnumMap<>(KernelSyncRejection.class);

    public KernelSyncCounters() {
        for (KernelSyncRejection r : KernelSyncRejection.values()) {
            rejections.put(r, new LongAdder());
        }
    }

    /** Counts a decode outcome. */
    public void record(KernelSyncDecodeResult result) {
        if (result.isAccepted()) {
            datagramsAccepted.increment();
            entriesAccepted.add(result.message().connections().size());
            for (KernelSyncRejection r : result.skippedEntries()) {
                rejections.get(r).increment();
            }
        } else {
            rejections.get(result.rejection()).increment();
        }
    }

    public long datagramsAccepted() {
        return datagramsAccepted.sum();
    }

    public long entriesAccepted() {
        return entriesAccepted.sum();
    }

    public long rejected(KernelSyncRejection reason) {
        return rejections.get(reason).sum();
    }

    public Map<KernelSyncRejection, Long> rejections() {
        Map<KernelSyncRejection, Long> m = new EnumMap<>(KernelSyncRejection.class);
        rejections.forEach((k, v) -> m.put(k, v.sum()));
        return m;
    }
}
