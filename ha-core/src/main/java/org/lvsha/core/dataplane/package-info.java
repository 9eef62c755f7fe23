/**
 * The embedded userspace IPVS data plane: what the kernel's {@code ip_vs} does for DR and NAT, on kernels without
 * it (containers, laptops, the lab), over AF_PACKET.
 *
 * <h2>Pieces</h2>
 * <ul>
 *   <li>{@link org.lvsha.core.dataplane.UserspaceIpvs} — the {@link org.lvsha.core.ipvs.Ipvs} port: an
 *       {@link org.lvsha.core.ipvs.InMemoryIpvs} decides (same errnos as the kernel), every accepted change is applied
 *       to the {@link org.lvsha.core.dataplane.DataPlane} before the call returns; listings carry live counters,
 *       connection counts, rates and the connection table, so {@code ipvsadm}-style output is identical.</li>
 *   <li>{@link org.lvsha.core.dataplane.DataPlane} — lifecycle, threads, rings, the nft drop table
 *       ({@link org.lvsha.core.dataplane.NftDropRules}), receive filters ({@link org.lvsha.core.dataplane.ServiceFilter}),
 *       MAC resolution, rate estimation, and the API connection sync uses:
 *       {@link org.lvsha.core.dataplane.DataPlane#setConnectionListener} (created / state changed / expired events,
 *       {@link org.lvsha.core.dataplane.ConnectionListener}) and {@link org.lvsha.core.dataplane.DataPlane#insert}
 *       ({@link org.lvsha.core.dataplane.SyncedConnection}: insert or update a connection or template with its real
 *       server, kernel {@code ip_vs_proc_conn} rules).</li>
 *   <li>{@link org.lvsha.core.dataplane.ConnectionTable} — fixed-capacity primitive arrays, two open-addressing
 *       indexes (client side, real-server side), a timer wheel; {@link org.lvsha.core.dataplane.ConnectionStates} —
 *       the kernel's TCP state table and timeouts; {@link org.lvsha.core.dataplane.Ipv4Frame} — parse, validate
 *       ({@link org.lvsha.core.dataplane.BadFrame}) and rewrite in place with
 *       {@link org.lvsha.core.dataplane.InternetChecksum} (RFC 1071/1624).</li>
 * </ul>
 *
 * <h2>Threading</h2>
 * N {@code PacketWorker} threads (default one per core, at most 2). Each has a TPACKET_V2 ring on the outside and
 * on the inside interface; each interface's rings form a PACKET_FANOUT_CBPF group whose program picks worker
 * (client address + client port) mod N — from the source of a request and from the destination of a NAT reply —
 * so both directions of a connection reach the one worker that owns it, and a worker's table shard needs no lock.
 * New connections take the single {@code ForwardingTable} lock for the scheduler, the destination counters and
 * the shared persistence-template table (a client's template must be seen by every worker, whatever its port);
 * established traffic takes no lock. Control calls come from any thread: configuration is published through
 * volatile fields; inserts and listings run on the owning worker through its inbox. A housekeeping thread expires
 * templates, estimates rates every 2 s and (re)resolves real-server MACs.
 *
 * <h2>Kernel behaviour followed</h2>
 * Only a TCP SYN creates a connection ({@code tcp_conn_schedule}); a destination at weight 0 gets no new
 * connections but keeps its existing ones (and persistence templates keep pointing at it:
 * {@code expire_quiescent_template} = 0); a deleted destination's connections stay in the table until they time
 * out and their packets are dropped without restarting the timer ({@code expire_nodest_conn} = 0, ip_vs_core.c);
 * ActiveConn counts ESTABLISHED only; OVERLOAD at the upper threshold, cleared under the lower one or 3/4 of the
 * upper. A new SYN that finds an earlier connection's entry on the same ports expires it and is scheduled afresh
 * when that entry is in TIME_WAIT or CLOSE ({@code conn_reuse_mode} bit 1) <em>and</em>, unlike the kernel's
 * default of 1, when a DR entry is in FIN_WAIT (bit 2): a DR entry never leaves FIN_WAIT before its 2-minute
 * timeout, so with mode 1 a client reusing its port goes back to its previous real server even at weight 0 or
 * dead ({@link org.lvsha.core.dataplane.ConnectionStates#REUSE_DEFAULT}).
 *
 * <h2>Not done</h2>
 * IPv6, SCTP and fwmark services are accepted and listed but not forwarded (fwmarks are set by netfilter, after
 * AF_PACKET has seen the frame). TUN is not offered: IP-in-IP needs the real server to decapsulate and the
 * director to handle PMTU (ICMP frag-needed for the inner packet, ip_vs_tunnel_xmit), which this data plane does
 * not do. IP fragments are counted and dropped (the kernel reassembles first). Frames larger than a 2 KiB ring
 * slot (GRO/GSO super-frames) are counted as truncated: GRO must be off on the director's interfaces and the
 * peers must not hand it TSO super-frames (as veth does unless TSO/GSO are switched off).
 */
package org.lvsha.core.dataplane;
