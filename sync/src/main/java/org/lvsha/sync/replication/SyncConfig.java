package org.lvsha.sync.replication;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Everything a {@link ConnectionReplicator} needs. One cluster name + sync id is one channel
 * ({@code lvsha-sync/NAME/ID}); give each cluster its own multicast group/port as well.
 *
 * @param clusterName    name shared by the directors of one pair
 * @param syncId         1..255, checked on every batch and on the state stream (like the kernel's syncid)
 * @param transport      multicast (default), TCP, or in-process loopback
 * @param bindAddress    the local address to bind (the sync interface's address); required for MULTICAST and TCP
 * @param bindPort       UDP unicast / TCP listen port (0 = ephemeral for UDP)
 * @param mcastAddress   multicast group (MULTICAST)
 * @param mcastPort      multicast port (MULTICAST)
 * @param tcpPeers       every member's TCP address, this node included (TCP)
 * @param keyFile        shared key file; null disables encryption and batch authentication (tests only)
 * @param maxEntries     bound of the replica store
 * @param batchBytes     a batch is sent when it reaches this size…
 * @param flushInterval  …or when its oldest event is this old
 * @param joinTimeout    per JOIN attempt
 * @param stateTimeout   for the state transfer that gates readiness
 * @param failureDetectionTimeout  silence after which a member is suspected (FD_ALL3); a crash is seen
 *                       at once by FD_SOCK2, this covers a lost link or a hung peer. Too short expels
 *                       a member that is only busy with a burst; too long delays the merge after a partition
 */
public record SyncConfig(
        String clusterName,
        int syncId,
        SyncTransport transport,
        InetAddress bindAddress,
        int bindPort,
        InetAddress mcastAddress,
        int mcastPort,
        List<InetSocketAddress> tcpPeers,
        Path keyFile,
        int maxEntries,
        int batchBytes,
        Duration flushInterval,
        Duration joinTimeout,
        Duration stateTimeout,
        Duration failureDetectionTimeout) {

    public static final int DEFAULT_MAX_ENTRIES = 2_000_000;
    public static final int DEFAULT_BATCH_BYTES = 8192;
    public static final int MIN_BATCH_BYTES = 1024;

    public SyncConfig {
        Objects.requireNonNull(clusterName, "clusterName");
        Objects.requireNonNull(transport, "transport");
        if (!clusterName.matches("[A-Za-z0-9._-]{1,64}")) {
            throw new IllegalArgumentException("sync cluster name must be 1-64 characters [A-Za-z0-9._-]: " + clusterName);
        }
        if (syncId < 1 || syncId > 255) {
            throw new IllegalArgumentException("sync id must be 1..255: " + syncId);
        }
        if (transport != SyncTransport.SHARED_LOOPBACK && bindAddress == null) {
            throw new IllegalArgumentException("sync " + transport + " needs a bind address (the sync interface's address)");
        }
        if (transport == SyncTransport.MULTICAST && (mcastAddress == null || !mcastAddress.isMulticastAddress() || mcastPort <= 0)) {
            throw new IllegalArgumentException("sync multicast needs a multicast group and port, got " + mcastAddress + ":" + mcastPort);
        }
        if (transport == SyncTransport.TCP && (tcpPeers == null || tcpPeers.isEmpty() || bindPort <= 0)) {
            throw new IllegalArgumentException("sync over TCP needs a listen port and the peers' addresses");
        }
        tcpPeers = tcpPeers == null ? List.of() : List.copyOf(tcpPeers);
        if (batchBytes < MIN_BATCH_BYTES || batchBytes > 60_000) {
            throw new IllegalArgumentException("batchBytes must be 1024..60000: " + batchBytes);
        }
        if (failureDetectionTimeout == null || failureDetectionTimeout.toMillis() < 1000) {
            throw new IllegalArgumentException("failure detection timeout must be at least 1 s");
        }
        if (maxEntries < 1) {
            throw new IllegalArgumentException("maxEntries must be positive");
        }
    }

    /** The JGroups cluster (channel) name: cluster name and sync id, so two sync ids never share a channel. */
    public String channelName() {
        return "lvsha-sync/" + clusterName + "/" + syncId;
    }

    public static Builder builder(String clusterName, int syncId) {
        return new Builder(clusterName, syncId);
    }

    /** Builder with the defaults: 8 KB batches, 2 ms flush, 1 s join attempts, 30 s state timeout, 15 s failure detection. */
    public static final class Builder {
        private final String clusterName;
        private final int syncId;
        private SyncTransport transport = SyncTransport.MULTICAST;
        private InetAddress bindAddress;
        private int bindPort;
        private InetAddress mcastAddress;
        private int mcastPort;
        private List<InetSocketAddress> tcpPeers = List.of();
        private Path keyFile;
        private int maxEntries = DEFAULT_MAX_ENTRIES;
        private int batchBytes = DEFAULT_BATCH_BYTES;
        private Duration flushInterval = Duration.ofMillis(2);
        private Duration joinTimeout = Duration.ofSeconds(1);
        private Duration stateTimeout = Duration.ofSeconds(30);
        private Duration failureDetectionTimeout = Duration.ofSeconds(15);

        private Builder(String clusterName, int syncId) {
            this.clusterName = clusterName;
            this.syncId = syncId;
        }

        public Builder multicast(InetAddress bind, InetAddress group, int port) {
            transport = SyncTransport.MULTICAST;
            bindAddress = bind;
            mcastAddress = group;
            mcastPort = port;
            return this;
        }

        public Builder tcp(InetAddress bind, int port, List<InetSocketAddress> peers) {
            transport = SyncTransport.TCP;
            bindAddress = bind;
            bindPort = port;
            tcpPeers = peers;
            return this;
        }

        public Builder sharedLoopback() {
            transport = SyncTransport.SHARED_LOOPBACK;
            return this;
        }

        public Builder bindPort(int p) {
            bindPort = p;
            return this;
        }

        public Builder keyFile(Path p) {
            keyFile = p;
            return this;
        }

        public Builder maxEntries(int n) {
            maxEntries = n;
            return this;
        }

        public Builder batchBytes(int n) {
            batchBytes = n;
            return this;
        }

        public Builder flushInterval(Duration d) {
            flushInterval = d;
            return this;
        }

        public Builder joinTimeout(Duration d) {
            joinTimeout = d;
            return this;
        }

        public Builder stateTimeout(Duration d) {
            stateTimeout = d;
            return this;
        }

        public Builder failureDetectionTimeout(Duration d) {
            failureDetectionTimeout = d;
            return this;
        }

        public SyncConfig build() {
            return new SyncConfig(clusterName, syncId, transport, bindAddress, bindPort, mcastAddress, mcastPort,
                    tcpPeers, keyFile, maxEntries, batchBytes, flushInterval, joinTimeout, stateTimeout, failureDetectionTimeout);
        }
    }
}
