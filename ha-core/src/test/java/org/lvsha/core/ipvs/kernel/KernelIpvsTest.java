package org.lvsha.core.ipvs.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lvsha.core.ipvs.AddressText;
import org.lvsha.core.ipvs.Destination;
import org.lvsha.core.ipvs.ForwardingMethod;
import org.lvsha.core.ipvs.IpProtocol;
import org.lvsha.core.ipvs.IpvsException;
import org.lvsha.core.ipvs.ServiceKey;
import org.lvsha.core.ipvs.ServiceStatus;
import org.lvsha.core.ipvs.SyncState;
import org.lvsha.core.ipvs.VirtualService;
import org.lvsha.core.platform.ErrnoException;

/** The kernel adapter over a scripted transport: what it sends, how it assembles dumps, how errors read. */
class KernelIpvsTest {

    private static final ServiceKey VIP = ServiceKey.of(IpProtocol.TCP, AddressText.parse("203.0.113.100"), 80);

    /** Records requests and answers them from a script. */
    static final class ScriptedTransport implements GenlTransport {
        record Sent(int family, int command, int version, int flags, byte[] attributes) {
        }

        final List<Sent> sent = new ArrayList<>();
        final Deque<GenlReply> replies = new ArrayDeque<>();
        int resolutions;
        int familyId = 0x24;

        @Override
        public int resolveFamily(String name) {
            resolutions++;
            assertThat(name).isEqualTo("IPVS");
            return familyId;
        }

        /** A command the transport fails with {@link #failure} (once), as a kernel that never answers does. */
        int failCommand = -1;
        RuntimeException failure;

        @Override
        public GenlReply request(int familyId, int command, int version, int flags, byte[] attributes) {
            sent.add(new Sent(familyId, command, version, flags, attributes));
            if (command == failCommand) {
                failCommand = -1;
                throw failure;
            }
            return replies.isEmpty() ? GenlReply.ok(List.of()) : replies.poll();
        }
    }

    private final ScriptedTransport transport = new ScriptedTransport();
    private final KernelIpvs ipvs = new KernelIpvs(transport);

    @Test
    void sendsTheCodecsBytesToTheResolvedFamilyAndResolvesOnce() {
        ipvs.addService(VirtualService.of(VIP, "rr"));
        ipvs.flush();
        assertThat(transport.resolutions).isEqualTo(1);
        assertThat(transport.sent).hasSize(2);
        var first = transport.sent.get(0);
        assertThat(first.family()).isEqualTo(0x24);
        assertThat(first.command()).isEqualTo(IpvsGenl.CMD_NEW_SERVICE);
        assertThat(first.version()).isEqualTo(1);
        assertThat(first.flags()).isEqualTo(IpvsGenl.NLM_F_ACK);
        assertThat(first.attributes()).isEqualTo(IpvsMessageCodec.newService(VirtualService.of(VIP, "rr")).attributes());
    }

    @Test
    void existingServiceReadsLikeIpvsadmWithTheObjectAndErrno() {
        transport.replies.add(GenlReply.error(17));
        assertThatThrownBy(() -> ipvs.addService(VirtualService.of(VIP, "rr")))
                .isInstanceOf(IpvsException.class)
                .hasMessage("Service already exists: TCP 203.0.113.100:80 (EEXIST)")
                .satisfies(e -> {
                    assertThat(((IpvsException) e).errno()).isEqualTo(17);
                    assertThat(((IpvsException) e).ipvsadmText()).isEqualTo("Service already exists");
                });
    }

    @Test
    void errorsAreWordedPerOperationAsLibipvsDoes() {
        Destination d = Destination.of(AddressText.parse("10.0.0.11"), 80, ForwardingMethod.ROUTE, 1);
        transport.replies.add(GenlReply.error(3));
        assertThatThrownBy(() -> ipvs.addDestination(VIP, d))
                .hasMessage("Service not defined: TCP 203.0.113.100:80 -> 10.0.0.11:80 (ESRCH)");
        transport.replies.add(GenlReply.error(2));
        assertThatThrownBy(() -> ipvs.editDestination(VIP, d))
                .hasMessage("No such destination: TCP 203.0.113.100:80 -> 10.0.0.11:80 (ENOENT)");
        transport.replies.add(GenlReply.error(17));
        assertThatThrownBy(() -> ipvs.addDestination(VIP, d))
                .hasMessage("Destination already exists: TCP 203.0.113.100:80 -> 10.0.0.11:80 (EEXIST)");
        transport.replies.add(GenlReply.error(3));
        assertThatThrownBy(() -> ipvs.editService(VirtualService.of(VIP, "rr")))
                .hasMessage("No such service: TCP 203.0.113.100:80 (ESRCH)");
        transport.replies.add(GenlReply.error(2));
        assertThatThrownBy(() -> ipvs.addService(VirtualService.of(VIP, "nope")))
                .hasMessage("Scheduler or persistence engine not found: TCP 203.0.113.100:80 (ENOENT)");
        transport.replies.add(GenlReply.error(17));
        assertThatThrownBy(() -> ipvs.startDaemon(org.lvsha.core.ipvs.SyncDaemon.of(SyncState.MASTER, "eth0", 1)))
                .hasMessage("Daemon has already run: master sync daemon on eth0 (EEXIST)");
        transport.replies.add(GenlReply.error(3));
        assertThatThrownBy(() -> ipvs.stopDaemon(SyncState.BACKUP))
                .hasMessage("No daemon is running: backup sync daemon (ESRCH)");
        transport.replies.add(GenlReply.error(1));
        assertThatThrownBy(ipvs::flush).hasMessage("Permission denied (you must be root) (EPERM)");
        transport.replies.add(GenlReply.error(22));
        assertThatThrownBy(() -> ipvs.deleteService(VIP))
                .hasMessage("Invalid operation.  Possibly wrong module version, address not unicast, ...: TCP 203.0.113.100:80 (EINVAL)");
        transport.replies.add(GenlReply.error(34));
        assertThatThrownBy(() -> ipvs.addDestination(VIP, d.withWeight(-1)))
                .hasMessage("Numerical result out of range: TCP 203.0.113.100:80 -> 10.0.0.11:80 (ERANGE)");
    }

    @Test
    void aMissingFamilyMeansTheModuleIsNotLoaded() {
        transport.familyId = -2;
        assertThatThrownBy(ipvs::flush).isInstanceOf(IpvsException.class)
                .hasMessageContaining("IPVS").hasMessageContaining("ENOPROTOOPT");
    }

    @Test
    void listingDumpsServicesThenTheDestinationsOfEach() {
        VirtualService svc = VirtualService.of(VIP, "wlc");
        Destination d1 = Destination.of(AddressText.parse("10.0.0.11"), 80, ForwardingMethod.ROUTE, 1);
        Destination d2 = Destination.of(AddressText.parse("10.0.0.12"), 8080, ForwardingMethod.MASQ, 3);
        transport.replies.add(GenlReply.ok(List.of(IpvsMessageCodec.newService(svc).toBytes())));
        transport.replies.add(GenlReply.ok(List.of(IpvsMessageCodec.newDestination(VIP, d1).toBytes(),
                IpvsMessageCodec.newDestination(VIP, d2).toBytes())));
        List<ServiceStatus> all = ipvs.services();
        assertThat(all).hasSize(1);
        assertThat(all.get(0).service()).isEqualTo(svc);
        assertThat(all.get(0).destinations()).extracting(ds -> ds.destination()).containsExactly(d1, d2);
        assertThat(transport.sent.get(0).flags()).isEqualTo(IpvsGenl.NLM_F_DUMP);
        assertThat(transport.sent.get(1).command()).isEqualTo(IpvsGenl.CMD_GET_DEST);
        assertThat(transport.sent.get(1).attributes()).isEqualTo(IpvsMessageCodec.getDestinations(VIP).attributes());
    }

    @Test
    void getServiceOfAnAbsentServiceIsEmpty() {
        transport.replies.add(GenlReply.error(3));
        assertThat(ipvs.service(VIP)).isEmpty();
    }

    @Test
    void connectionsComeFromProcNetIpVsConn(@TempDir Path dir) throws Exception {
        Path proc = dir.resolve("ip_vs_conn");
        Files.writeString(proc, """
                Pro FromIP   FPrt ToIP     TPrt DestIP   DPrt State       Expires PEName PEData
                TCP 0A004FB6 0045 0A004FB6 1F90 0A004FB6 1F91 SYN_RECV         57
                UDP C0000264 0000 C000020A 13C4 0A00000B 13C4 NONE            356 sip abc
                """);
        var conns = new KernelIpvs(transport, proc).connections();
        assertThat(conns).hasSize(2);
        assertThat(conns.get(0).clientAddress()).isEqualTo(AddressText.parse("10.0.79.182"));
        assertThat(conns.get(0).clientPort()).isEqualTo(0x45);
        assertThat(conns.get(0).virtualPort()).isEqualTo(8080);
        assertThat(conns.get(0).destinationPort()).isEqualTo(8081);
        assertThat(conns.get(0).state()).isEqualTo("SYN_RECV");
        assertThat(conns.get(0).expiresSeconds()).isEqualTo(57);
        assertThat(conns.get(1).template()).isTrue();
        assertThat(conns.get(1).peName()).isEqualTo("sip");
        assertThat(conns.get(1).peData()).isEqualTo("abc");
    }

    @Test
    void aStopTheKernelLeavesUnansweredIsTakenForDoneOnlyWhenTheDaemonIsGone() {
        // Linux answers nothing when kthread_stop returns -EINTR (a daemon stopped before its thread first ran).
        ErrnoException silent = new ErrnoException("IPVS cmd 10", "", 110, "no reply from the kernel within 1000 ms");
        transport.failCommand = IpvsGenl.CMD_DEL_DAEMON;
        transport.failure = silent;
        ipvs.stopDaemon(SyncState.MASTER); // the listing that follows is empty: stopped
        assertThat(transport.sent).extracting(ScriptedTransport.Sent::command)
                .containsExactly(IpvsGenl.CMD_DEL_DAEMON, IpvsGenl.CMD_GET_DAEMON);

        transport.failCommand = IpvsGenl.CMD_DEL_DAEMON;
        transport.failure = silent;
        transport.replies.add(GenlReply.ok(List.of(Hex.parse(KernelCapturedVectorsTest.DAEMONMASTER))));
        assertThatThrownBy(() -> ipvs.stopDaemon(SyncState.MASTER)).isSameAs(silent); // still running: the error stands

        transport.failCommand = IpvsGenl.CMD_DEL_DAEMON;
        transport.failure = silent;
        transport.replies.add(GenlReply.ok(List.of(Hex.parse(KernelCapturedVectorsTest.DAEMONMASTER))));
        ipvs.stopDaemon(SyncState.BACKUP); // only the master runs: the backup is gone

        ErrnoException broken = new ErrnoException("IPVS cmd 10", "", 9, null); // EBADF: not a silence, no second guess
        transport.failCommand = IpvsGenl.CMD_DEL_DAEMON;
        transport.failure = broken;
        int before = transport.sent.size();
        assertThatThrownBy(() -> ipvs.stopDaemon(SyncState.MASTER)).isSameAs(broken);
        assertThat(transport.sent).hasSize(before + 1);
    }
}
