package org.lvsha.sync.replication;

import java.util.ArrayList;
import java.util.List;
import org.jgroups.protocols.FD_ALL3;
import org.jgroups.protocols.FD_SOCK2;
import org.jgroups.protocols.FRAG4;
import org.jgroups.protocols.MERGE3;
import org.jgroups.protocols.MFC;
import org.jgroups.protocols.PING;
import org.jgroups.protocols.SHARED_LOOPBACK;
import org.jgroups.protocols.SHARED_LOOPBACK_PING;
import org.jgroups.protocols.TCP;
import org.jgroups.protocols.TCPPING;
import org.jgroups.protocols.UDP;
import org.jgroups.protocols.UFC;
import org.jgroups.protocols.UNICAST3;
import org.jgroups.protocols.VERIFY_SUSPECT2;
import org.jgroups.protocols.pbcast.GMS;
import org.jgroups.protocols.pbcast.NAKACK2;
import org.jgroups.protocols.pbcast.STABLE;
import org.jgroups.protocols.pbcast.STATE;
import org.jgroups.stack.Protocol;

/**
 * Builds the JGroups protocol stack for a {@link SyncConfig}, bottom first, in code so that every
 * setting is explicit and reviewable here:
 *
 * <pre>
 * MULTICAST: UDP(bind_addr, mcast_addr, mcast_port, ip_ttl=1) PING
 * TCP:       TCP(bind_addr, bind_port) TCPPING(initial_hosts, port_range=0)
 * loopback:  SHARED_LOOPBACK SHARED_LOOPBACK_PING
 * then:      MERGE3 FD_SOCK2 FD_ALL3 VERIFY_SUSPECT2 [SharedKeyEncrypt] NAKACK2 UNICAST3 STABLE
 *            GMS(join_timeout, 3 attempts) UFC MFC FRAG4 STATE
 * </pre>
 *
 * Encryption sits directly under NAKACK2 (as JGroups documents), so everything from the membership
 * protocol up — JOIN requests, views, our batches and the streamed state ({@code STATE}, which goes
 * through the stack, unlike {@code STATE_SOCK}) — is encrypted; only discovery and failure detection
 * travel in clear. FD_SOCK2 notices a killed peer at once (its TCP connection resets), so a
 * restarted node finds a live coordinator quickly.
 */
public final class SyncStackFactory {
    /** FRAG4's fragment size: one fragment fits in one UDP datagram. */
    static final int FRAG_SIZE = 60_000;

    private SyncStackFactory() {
    }

    public static List<Protocol> build(SyncConfig config, SharedKeyEncrypt encrypt) {
        List<Protocol> stack = new ArrayList<>();
        switch (config.transport()) {
            case MULTICAST -> {
                UDP udp = new UDP();
                udp.setBindAddress(config.bindAddress());
                udp.setBindPort(config.bindPort());
                udp.setMulticastAddress(config.mcastAddress());
                udp.setMulticastPort(config.mcastPort());
                udp.setIpTTL(1);
                stack.add(udp);
                stack.add(new PING());
            }
            case TCP -> {
                TCP tcp = new TCP();
                tcp.setBindAddress(config.bindAddress());
                tcp.setBindPort(config.bindPort());
                stack.add(tcp);
                TCPPING ping = new TCPPING();
                ping.setInitialHosts(config.tcpPeers());
                ping.setPortRange(0);
                stack.add(ping);
            }
            case SHARED_LOOPBACK -> {
                stack.add(new SHARED_LOOPBACK());
                stack.add(new SHARED_LOOPBACK_PING());
            }
        }
        MERGE3 merge = new MERGE3();
        merge.setMinInterval(2000);
        merge.setMaxInterval(5000);
        stack.add(merge);
        if (config.transport() != SyncTransport.SHARED_LOOPBACK) {
            stack.add(new FD_SOCK2());
        }
        FD_ALL3 fdAll = new FD_ALL3();
        // crashes are FD_SOCK2's; this catches lost links and hung peers
        fdAll.setTimeout(config.failureDetectionTimeout().toMillis());
        fdAll.setInterval(Math.max(250, config.failureDetectionTimeout().toMillis() / 4));
        stack.add(fdAll);
        stack.add(new VERIFY_SUSPECT2().setValue("timeout", 1000L));
        if (encrypt != null) {
            stack.add(encrypt);
        }
        NAKACK2 nakack = new NAKACK2();
        nakack.setXmitInterval(200);
        if (config.transport() == SyncTransport.TCP) {
            nakack.useMcastXmit(false);
        }
        stack.add(nakack);
        stack.add(new UNICAST3().setValue("xmit_interval", 200L));
        stack.add(new STABLE().setValue("desired_avg_gossip", 5000L).setValue("max_bytes", 4_000_000L));
        GMS gms = new GMS();
        gms.setJoinTimeout(config.joinTimeout().toMillis());
        gms.setMaxJoinAttempts(3);
        gms.printLocalAddress(false);
        stack.add(gms);
        stack.add(new UFC().setMaxCredits(4_000_000L).setMinThreshold(0.4));
        stack.add(new MFC().setMaxCredits(4_000_000L).setMinThreshold(0.4));
        stack.add(new FRAG4().setValue("frag_size", FRAG_SIZE));
        // 64 KB chunks for the streamed state (the default is 8 KB)
        stack.add(new STATE().setValue("buffer_size", Integer.getInteger("lvsha.sync.stateBuffer", 64 * 1024)));
        return stack;
    }
}
