package org.lvsha.sync.kernel;

import java.net.DatagramPacket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.MulticastSocket;
import java.net.NetworkInterface;
import java.net.StandardSocketOptions;
import java.util.ArrayList;
import java.util.List;

/**
 * Sends encoded v1 sync datagrams to the kernel sync group 224.0.0.81:8848 out of one interface,
 * TTL 1, like a kernel master daemon — run inside a kernel-vm guest against a real backup daemon.
 *
 * <pre>args: LOCAL_IP INTERFACE SYNC_ID COUNT [FIRST_INDEX]</pre>
 */
public final class KernelSyncInjectMain {
    private KernelSyncInjectMain() {
    }

    public static void main(String[] args) throws Exception {
        InetAddress local = InetAddress.getByName(args[0]);
        NetworkInterface nif = NetworkInterface.getByName(args[1]);
        int syncId = Integer.parseInt(args[2]);
        int count = Integer.parseInt(args[3]);
        int first = args.length > 4 ? Integer.parseInt(args[4]) : 0;
        List<KernelSyncConnection> conns = new ArrayList<>();
        for (int i = first; i < first + count; i++) {
            conns.add(KernelSyncConnection.ipv4(6, SyncFlags.DROUTE | SyncFlags.NOOUTPUT, ConnectionStates.TCP_ESTABLISHED,
                    new byte[] {(byte) 203, 0, 113, (byte) (i >>> 8)}, 10_000 + (i & 0xff), new byte[] {(byte) 192, 0, 2, 10}, 80,
                    new byte[] {(byte) 192, 0, 2, 11}, 80, 0, 900));
        }
        List<byte[]> datagrams = KernelSyncCodec.encodeV1(syncId, conns, KernelSyncCodec.DEFAULT_MAX_DATAGRAM);
        try (MulticastSocket s = new MulticastSocket(new InetSocketAddress(local, 0))) {
            s.setOption(StandardSocketOptions.IP_MULTICAST_IF, nif);
            s.setOption(StandardSocketOptions.IP_MULTICAST_TTL, 1);
            InetSocketAddress group = new InetSocketAddress(InetAddress.getByName("224.0.0.81"), 8848);
            for (byte[] d : datagrams) {
                s.send(new DatagramPacket(d, d.length, group));
            }
        }
        System.out.println("sent " + datagrams.size() + " datagrams with " + count + " connections, sync id " + syncId);
    }
}
