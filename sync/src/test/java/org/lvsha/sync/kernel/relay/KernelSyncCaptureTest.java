package org.lvsha.sync.kernel.relay;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.lvsha.core.lab.Privileges;
import org.lvsha.core.lab.Shell;
import org.lvsha.core.platform.NetworkNamespace;

/**
 * The tap and the injector in a namespace of their own (a veth pair, 192.0.2.0/24): a sender with multicast
 * loop off, as the kernel master's socket is (reference notes §1.1), is captured as it leaves the interface;
 * the injector's own datagrams (sent with TTL 1 here, so they do leave) are recognised by source port and skipped.
 */
@Tag("netns")
class KernelSyncCaptureTest {

    @Test
    void capturesTheOutgoingMulticastOfALoopOffSenderAndSkipsItsOwnInjections() throws Exception {
        assumeTrue(Privileges.netnsAvailable(), () -> "skipped: " + Privileges.netnsUnavailableReason().orElse(""));
        String ns = "lvcap" + ProcessHandle.current().pid();
        try {
            Shell.run("ip", "netns", "add", ns);
            Shell.run("ip", "-n", ns, "link", "add", "va", "type", "veth", "peer", "name", "vb");
            Shell.run("ip", "-n", ns, "addr", "add", "192.0.2.1/24", "dev", "va");
            Shell.run("ip", "-n", ns, "link", "set", "va", "up");
            Shell.run("ip", "-n", ns, "link", "set", "vb", "up");
            List<String> seen = NetworkNamespace.call(ns, () -> {
                NetworkInterface va = NetworkInterface.getByName("va");
                InetAddress group = InetAddress.getByName("224.0.0.81");
                int port = 8849;
                List<String> got = new CopyOnWriteArrayList<>();
                try (KernelSyncInjector injector = new KernelSyncInjector(va, group, port, 1);
                     KernelSyncCapture capture = new KernelSyncCapture(va, group, port, injector.localPort(),
                             (b, off, len) -> got.add(new String(b, off, len, US_ASCII)));
                     DatagramChannel master = DatagramChannel.open(StandardProtocolFamily.INET)) {
                    master.setOption(StandardSocketOptions.IP_MULTICAST_IF, va);
                    master.setOption(StandardSocketOptions.IP_MULTICAST_LOOP, false);
                    master.bind(new InetSocketAddress(InetAddress.getByName("192.0.2.1"), 0));
                    injector.send("injected".getBytes(US_ASCII));
                    master.send(ByteBuffer.wrap("from-master".getBytes(US_ASCII)), new InetSocketAddress(group, port));
                    await().atMost(Duration.ofSeconds(10)).until(() -> got.contains("from-master"));
                    await().atMost(Duration.ofSeconds(5)).until(() -> capture.ownDatagrams() == 1);
                }
                return got;
            });
            assertThat(seen).containsExactly("from-master");
        } finally {
            Shell.tryRun("ip", "netns", "del", ns);
        }
    }
}
