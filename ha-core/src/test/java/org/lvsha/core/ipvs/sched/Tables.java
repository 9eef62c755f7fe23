package org.lvsha.core.ipvs.sched;

/** Test helpers: destination tables and flows. */
final class Tables {
    private Tables() {
    }

    /** Destinations 10.0.0.1.. with the given weights, port 80. */
    static DestinationArray weights(int... weights) {
        DestinationArray t = new DestinationArray();
        for (int i = 0; i < weights.length; i++) {
            t.add(new byte[] {10, 0, 0, (byte) (i + 1)}, 80, weights[i], 0, 0);
        }
        return t;
    }

    static byte[] v4(int a, int b, int c, int d) {
        return new byte[] {(byte) a, (byte) b, (byte) c, (byte) d};
    }

    /** A flow from 198.51.100.x:port to 192.0.2.10:80 (or to the given destination address). */
    static FlowKey fromClient(int client, int port) {
        return new FlowKey().set(v4(198, 51, client >> 8, client), port, v4(192, 0, 2, 10), 80, 4, 0);
    }

    static FlowKey toDestination(int d, long now) {
        return new FlowKey().set(v4(198, 51, 100, 1), 40000, v4(203, 0, d >> 8, d), 80, 4, now);
    }

    static int[] histogram(Scheduler s, DestinationTable t, int picks) {
        int[] h = new int[t.size()];
        FlowKey f = fromClient(1, 1);
        for (int i = 0; i < picks; i++) {
            int d = s.select(t, f);
            if (d >= 0) {
                h[d]++;
            }
        }
        return h;
    }
}
