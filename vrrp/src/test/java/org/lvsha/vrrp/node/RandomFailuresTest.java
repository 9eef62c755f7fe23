package org.lvsha.vrrp.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.lvsha.vrrp.node.Cluster.S;
import static org.lvsha.vrrp.node.Cluster.ip;
import static org.lvsha.vrrp.node.Cluster.vip;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.lvsha.vrrp.codec.IpFacts;
import org.lvsha.vrrp.config.InstanceConfig;
import org.lvsha.vrrp.config.NodeConfig;
import org.lvsha.vrrp.config.TrackConfig;
import org.lvsha.vrrp.proto.State;
import org.lvsha.vrrp.track.TrackSample;

/**
 * Three nodes, seeded random crashes, heals and tracked-priority changes; and garbage on the wire.
 * Whatever happened, once the network has been quiet for 10 s there is exactly one master, it is the
 * best (priority, then address), and only it holds the VIP.
 */
class RandomFailuresTest {
    static final String VIP = "203.0.113.100";
    static final String[] NODES = {"A", "B", "C"};
    static final int[] PRIORITIES = {200, 150, 150};

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {11, 12, 13, 14})
    void afterAnyHistoryTheBestNodeEndsUpTheOnlyMaster(long seed) {
        Random r = new Random(seed);
        Cluster c = new Cluster();
        for (int n = 0; n < 3; n++) {
            InstanceConfig i = InstanceConfig.v3("vip", 51, "eth0", ip("203.0.113." + (2 + n)), PRIORITIES[n],
                    List.of(vip("eth0", VIP, "eth0:0"))).withInterval(10 + r.nextInt(90))
                    .withTracks(List.of(new TrackConfig.Interface("eth9", -120)));
            c.add(NODES[n], new NodeConfig(List.of(i), List.of()));
        }
        for (String n : NODES) {
            c.start(n);
        }
        boolean[] reachable = {true, true, true};
        boolean[] trackUp = {true, true, true};
        for (int round = 0; round < 40; round++) {
            c.runFor(r.nextInt(5_000) * 1_000_000L);
            int n = r.nextInt(3);
            switch (r.nextInt(4)) {
                case 0, 1 -> {
                    reachable[n] = !reachable[n];
                    c.net.setReachable(NODES[n], reachable[n]);
                }
                case 2 -> {
                    trackUp[n] = !trackUp[n];
                    c.nodes.get(NODES[n]).trackSample(TrackSample.of("vip", 0, trackUp[n]));
                }
                default -> garbage(c.nodes.get(NODES[n]), r);
            }
        }
        for (int n = 0; n < 3; n++) {
            c.net.setReachable(NODES[n], true);
        }
        c.runFor(10 * S);

        int best = -1;
        for (int n = 0; n < 3; n++) {
            int p = trackUp[n] ? PRIORITIES[n] : PRIORITIES[n] - 120;
            if (best < 0 || p > eff(best, trackUp) || p == eff(best, trackUp) && n > best) {
                best = n; // equal priority: the higher address (.3 < .4) wins, and addresses grow with n
            }
        }
        for (int n = 0; n < 3; n++) {
            State expected = n == best ? State.MASTER : State.BACKUP;
            assertThat(c.state(NODES[n], "vip")).as("seed %d node %s", seed, NODES[n]).isEqualTo(expected);
            assertThat(c.addresses.get(NODES[n]).has(VIP)).as("seed %d node %s holds VIP", seed, NODES[n]).isEqualTo(n == best);
        }
    }

    private static int eff(int n, boolean[] trackUp) {
        return trackUp[n] ? PRIORITIES[n] : PRIORITIES[n] - 120;
    }

    /** Random bytes and bit-flipped real-looking adverts: counted, dropped, never thrown. */
    private static void garbage(VrrpNode node, Random r) {
        for (int k = 0; k < 50; k++) {
            byte[] b = new byte[r.nextInt(40)];
            r.nextBytes(b);
            if (b.length > 4 && r.nextBoolean()) {
                b[0] = 0x31;
                b[1] = 51;
                b[3] = (byte) ((b.length - 8) / 4);
            }
            node.offer(new ReceivedDatagram(r.nextBoolean() ? "eth0" : "eth1",
                    new IpFacts(ip("203.0.113.9"), VrrpTransport.GROUP_V4, r.nextInt(8) == 0 ? 64 : 255), b, 0, b.length));
        }
    }
}
