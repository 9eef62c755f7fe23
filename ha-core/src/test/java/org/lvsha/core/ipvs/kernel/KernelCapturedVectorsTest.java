package org.lvsha.core.ipvs.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.lvsha.core.ipvs.AddressFamily;
import org.lvsha.core.ipvs.AddressText;
import org.lvsha.core.ipvs.Destination;
import org.lvsha.core.ipvs.DestinationStatus;
import org.lvsha.core.ipvs.ForwardingMethod;
import org.lvsha.core.ipvs.IpProtocol;
import org.lvsha.core.ipvs.Rates;
import org.lvsha.core.ipvs.ServiceFlags;
import org.lvsha.core.ipvs.ServiceKey;
import org.lvsha.core.ipvs.ServiceStatus;
import org.lvsha.core.ipvs.Stats;
import org.lvsha.core.ipvs.SyncDaemon;
import org.lvsha.core.ipvs.SyncState;
import org.lvsha.core.ipvs.Timeouts;
import org.lvsha.core.ipvs.Tunnel;
import org.lvsha.core.ipvs.TunnelChecksum;
import org.lvsha.core.ipvs.TunnelType;
import org.lvsha.core.ipvs.VirtualService;
import org.lvsha.core.ipvs.admin.IpvsadmCommand;
import org.lvsha.core.ipvs.admin.IpvsadmParser;

/**
 * Vectors captured from the real thing, in the kernel-vm guest (Debian's 6.1 kernel, ipvsadm 1:1.31-1), by dist's
 * KernelInteropTest: requests are what {@code strace -e write=all ipvsadm ...} showed ipvsadm sending (genlmsghdr and
 * attributes, the nlmsghdr cut off), replies are what the kernel answered the kernel adapter. The request tests
 * take the same ipvsadm command line through lvsha's parser and codec.
 */
class KernelCapturedVectorsTest {

    /** ipvsadm's command line through lvsha's parser and the codec gives exactly the bytes ipvsadm sent. */
    private static void sent(String hex, String... ipvsadmArgs) {
        IpvsadmCommand c = IpvsadmParser.parse(ipvsadmArgs);
        GenlMessage m = switch (c.kind()) {
            case ADD_SERVICE -> IpvsMessageCodec.newService(c.service());
            case EDIT_SERVICE -> IpvsMessageCodec.setService(c.service());
            case DELETE_SERVICE -> IpvsMessageCodec.delService(c.serviceKey());
            case ADD_SERVER -> IpvsMessageCodec.newDestination(c.serviceKey(), c.destination());
            case EDIT_SERVER -> IpvsMessageCodec.setDestination(c.serviceKey(), c.destination());
            case DELETE_SERVER -> IpvsMessageCodec.delDestination(c.serviceKey(), c.destination().address(), c.destination().port());
            case SET_TIMEOUTS -> IpvsMessageCodec.setTimeouts(c.timeouts());
            case START_DAEMON -> IpvsMessageCodec.newDaemon(c.daemon());
            case STOP_DAEMON -> IpvsMessageCodec.delDaemon(c.daemonState());
            case ZERO -> c.serviceKey() == null ? IpvsMessageCodec.zeroAll() : IpvsMessageCodec.zero(c.serviceKey());
            case FLUSH -> IpvsMessageCodec.flush();
            default -> throw new IllegalArgumentException(c.kind().toString());
        };
        assertThat(Hex.of(m.toBytes())).as(String.join(" ", ipvsadmArgs)).isEqualTo(Hex.of(Hex.parse(hex)));
    }

    @Test
    void everyChangingCommandEncodesAsIpvsadmSentIt() {
        sent("""
                01 01 00 00 54 00 01 80 06 00 01 00 02 00 00 00
                06 00 02 00 06 00 00 00 14 00 03 00 c0 00 02 1f
                00 00 00 00 00 00 00 00 00 00 00 00 06 00 04 00
                01 bb 00 00 08 00 06 00 77 6c 63 00 0c 00 07 00
                01 00 00 00 ff ff ff ff 08 00 08 00 58 02 00 00
                08 00 09 00 ff ff ff 00""",
                "-A", "-t", "192.0.2.31:443", "-s", "wlc", "-p", "600", "-M", "255.255.255.0");
        sent("""
                02 01 00 00 54 00 01 80 06 00 01 00 02 00 00 00
                06 00 02 00 06 00 00 00 14 00 03 00 c0 00 02 1e
                00 00 00 00 00 00 00 00 00 00 00 00 06 00 04 00
                00 50 00 00 07 00 06 00 73 68 00 00 0c 00 07 00
                18 00 00 00 ff ff ff ff 08 00 08 00 00 00 00 00
                08 00 09 00 ff ff ff ff""",
                "-E", "-t", "192.0.2.30:80", "-s", "sh", "-b", "sh-fallback,sh-port");
        sent("""
                01 01 00 00 54 00 01 80 06 00 01 00 02 00 00 00
                06 00 02 00 11 00 00 00 14 00 03 00 c0 00 02 1e
                00 00 00 00 00 00 00 00 00 00 00 00 06 00 04 00
                00 35 00 00 07 00 06 00 72 72 00 00 0c 00 07 00
                04 00 00 00 ff ff ff ff 08 00 08 00 00 00 00 00
                08 00 09 00 ff ff ff ff""",
                "-A", "-u", "192.0.2.30:53", "-s", "rr", "-o");
        sent("""
                01 01 00 00 5c 00 01 80 06 00 01 00 0a 00 00 00
                06 00 02 00 11 00 00 00 14 00 03 00 20 01 0d b8
                00 00 00 00 00 00 00 00 00 00 00 30 06 00 04 00
                00 35 00 00 08 00 06 00 77 72 72 00 08 00 0b 00
                73 69 70 00 0c 00 07 00 01 00 00 00 ff ff ff ff
                08 00 08 00 1e 00 00 00 08 00 09 00 40 00 00 00""",
                "-A", "-u", "[2001:db8::30]:53", "-s", "wrr", "-p", "30", "-M", "64", "--pe", "sip");
        sent("""
                01 01 00 00 38 00 01 80 06 00 01 00 02 00 00 00
                08 00 05 00 07 00 00 00 07 00 06 00 6d 68 00 00
                0c 00 07 00 10 00 00 00 ff ff ff ff 08 00 08 00
                00 00 00 00 08 00 09 00 ff ff ff ff""",
                "-A", "-f", "7", "-s", "mh", "-b", "mh-port");
        sent("""
                01 01 00 00 38 00 01 80 06 00 01 00 0a 00 00 00
                08 00 05 00 08 00 00 00 07 00 06 00 6c 63 00 00
                0c 00 07 00 00 00 00 00 ff ff ff ff 08 00 08 00
                00 00 00 00 08 00 09 00 80 00 00 00""",
                "-A", "-f", "8", "-6", "-s", "lc");
        sent("""
                01 01 00 00 54 00 01 80 06 00 01 00 02 00 00 00
                06 00 02 00 84 00 00 00 14 00 03 00 c0 00 02 1e
                00 00 00 00 00 00 00 00 00 00 00 00 06 00 04 00
                0f 1c 00 00 07 00 06 00 64 68 00 00 0c 00 07 00
                00 00 00 00 ff ff ff ff 08 00 08 00 00 00 00 00
                08 00 09 00 ff ff ff ff""",
                "-A", "--sctp-service", "192.0.2.30:3868", "-s", "dh");
        sent("""
                05 01 00 00 54 00 01 80 06 00 01 00 02 00 00 00
                06 00 02 00 06 00 00 00 14 00 03 00 c0 00 02 1e
                00 00 00 00 00 00 00 00 00 00 00 00 06 00 04 00
                00 50 00 00 05 00 06 00 00 00 00 00 0c 00 07 00
                00 00 00 00 ff ff ff ff 08 00 08 00 00 00 00 00
                08 00 09 00 ff ff ff ff 60 00 02 80 06 00 0b 00
                02 00 00 00 14 00 01 00 c6 33 64 3e 00 00 00 00
                00 00 00 00 00 00 00 00 06 00 02 00 1f 90 00 00
                08 00 03 00 00 00 00 00 08 00 04 00 03 00 00 00
                05 00 0d 00 00 00 00 00 06 00 0e 00 00 00 00 00
                06 00 0f 00 00 00 00 00 08 00 05 00 64 00 00 00
                08 00 06 00 32 00 00 00""",
                "-a", "-t", "192.0.2.30:80", "-r", "198.51.100.62:8080", "-m", "-w", "3", "-x", "100", "-y", "50");
        sent("""
                05 01 00 00 54 00 01 80 06 00 01 00 02 00 00 00
                06 00 02 00 06 00 00 00 14 00 03 00 c0 00 02 1e
                00 00 00 00 00 00 00 00 00 00 00 00 06 00 04 00
                00 50 00 00 05 00 06 00 00 00 00 00 0c 00 07 00
                00 00 00 00 ff ff ff ff 08 00 08 00 00 00 00 00
                08 00 09 00 ff ff ff ff 60 00 02 80 06 00 0b 00
                02 00 00 00 14 00 01 00 c6 33 64 3f 00 00 00 00
                00 00 00 00 00 00 00 00 06 00 02 00 00 50 00 00
                08 00 03 00 02 00 00 00 08 00 04 00 01 00 00 00
                05 00 0d 00 01 00 00 00 06 00 0e 00 17 c0 00 00
                06 00 0f 00 02 00 00 00 08 00 05 00 00 00 00 00
                08 00 06 00 00 00 00 00""",
                "-a", "-t", "192.0.2.30:80", "-r", "198.51.100.63", "-i", "--tun-type", "gue", "--tun-port", "6080", "--tun-remcsum");
        sent("""
                05 01 00 00 54 00 01 80 06 00 01 00 02 00 00 00
                06 00 02 00 06 00 00 00 14 00 03 00 c0 00 02 1e
                00 00 00 00 00 00 00 00 00 00 00 00 06 00 04 00
                00 50 00 00 05 00 06 00 00 00 00 00 0c 00 07 00
                00 00 00 00 ff ff ff ff 08 00 08 00 00 00 00 00
                08 00 09 00 ff ff ff ff 60 00 02 80 06 00 0b 00
                02 00 00 00 14 00 01 00 c6 33 64 40 00 00 00 00
                00 00 00 00 00 00 00 00 06 00 02 00 00 50 00 00
                08 00 03 00 02 00 00 00 08 00 04 00 01 00 00 00
                05 00 0d 00 02 00 00 00 06 00 0e 00 00 00 00 00
                06 00 0f 00 01 00 00 00 08 00 05 00 00 00 00 00
                08 00 06 00 00 00 00 00""",
                "-a", "-t", "192.0.2.30:80", "-r", "198.51.100.64", "-i", "--tun-type", "gre", "--tun-csum");
        sent("""
                05 01 00 00 54 00 01 80 06 00 01 00 02 00 00 00
                06 00 02 00 06 00 00 00 14 00 03 00 c0 00 02 1e
                00 00 00 00 00 00 00 00 00 00 00 00 06 00 04 00
                00 50 00 00 05 00 06 00 00 00 00 00 0c 00 07 00
                00 00 00 00 ff ff ff ff 08 00 08 00 00 00 00 00
                08 00 09 00 ff ff ff ff 60 00 02 80 06 00 0b 00
                0a 00 00 00 14 00 01 00 20 01 0d b8 00 01 00 00
                00 00 00 00 00 00 00 65 06 00 02 00 00 50 00 00
                08 00 03 00 02 00 00 00 08 00 04 00 01 00 00 00
                05 00 0d 00 00 00 00 00 06 00 0e 00 00 00 00 00
                06 00 0f 00 00 00 00 00 08 00 05 00 00 00 00 00
                08 00 06 00 00 00 00 00""",
                "-a", "-t", "192.0.2.30:80", "-r", "[2001:db8:1::65]:80", "-i");
        sent("""
                05 01 00 00 38 00 01 80 06 00 01 00 0a 00 00 00
                08 00 05 00 08 00 00 00 05 00 06 00 00 00 00 00
                0c 00 07 00 00 00 00 00 ff ff ff ff 08 00 08 00
                00 00 00 00 08 00 09 00 80 00 00 00 60 00 02 80
                06 00 0b 00 0a 00 00 00 14 00 01 00 20 01 0d b8
                00 01 00 00 00 00 00 00 00 00 00 66 06 00 02 00
                00 00 00 00 08 00 03 00 03 00 00 00 08 00 04 00
                02 00 00 00 05 00 0d 00 00 00 00 00 06 00 0e 00
                00 00 00 00 06 00 0f 00 00 00 00 00 08 00 05 00
                00 00 00 00 08 00 06 00 00 00 00 00""",
                "-a", "-f", "8", "-6", "-r", "2001:db8:1::66", "-g", "-w", "2");
        sent("""
                06 01 00 00 54 00 01 80 06 00 01 00 02 00 00 00
                06 00 02 00 06 00 00 00 14 00 03 00 c0 00 02 1e
                00 00 00 00 00 00 00 00 00 00 00 00 06 00 04 00
                00 50 00 00 05 00 06 00 00 00 00 00 0c 00 07 00
                00 00 00 00 ff ff ff ff 08 00 08 00 00 00 00 00
                08 00 09 00 ff ff ff ff 60 00 02 80 06 00 0b 00
                02 00 00 00 14 00 01 00 c6 33 64 3e 00 00 00 00
                00 00 00 00 00 00 00 00 06 00 02 00 1f 90 00 00
                08 00 03 00 00 00 00 00 08 00 04 00 00 00 00 00
                05 00 0d 00 00 00 00 00 06 00 0e 00 00 00 00 00
                06 00 0f 00 00 00 00 00 08 00 05 00 00 00 00 00
                08 00 06 00 00 00 00 00""",
                "-e", "-t", "192.0.2.30:80", "-r", "198.51.100.62:8080", "-m", "-w", "0");
        sent("""
                07 01 00 00 54 00 01 80 06 00 01 00 02 00 00 00
                06 00 02 00 06 00 00 00 14 00 03 00 c0 00 02 1e
                00 00 00 00 00 00 00 00 00 00 00 00 06 00 04 00
                00 50 00 00 05 00 06 00 00 00 00 00 0c 00 07 00
                00 00 00 00 ff ff ff ff 08 00 08 00 00 00 00 00
                08 00 09 00 ff ff ff ff 60 00 02 80 06 00 0b 00
                02 00 00 00 14 00 01 00 c6 33 64 3d 00 00 00 00
                00 00 00 00 00 00 00 00 06 00 02 00 00 50 00 00
                08 00 03 00 03 00 00 00 08 00 04 00 01 00 00 00
                05 00 0d 00 00 00 00 00 06 00 0e 00 00 00 00 00
                06 00 0f 00 00 00 00 00 08 00 05 00 00 00 00 00
                08 00 06 00 00 00 00 00""",
                "-d", "-t", "192.0.2.30:80", "-r", "198.51.100.61");
        sent("""
                10 01 00 00""",
                "-Z");
        sent("""
                10 01 00 00 54 00 01 80 06 00 01 00 02 00 00 00
                06 00 02 00 06 00 00 00 14 00 03 00 c0 00 02 1e
                00 00 00 00 00 00 00 00 00 00 00 00 06 00 04 00
                00 50 00 00 05 00 06 00 00 00 00 00 0c 00 07 00
                00 00 00 00 ff ff ff ff 08 00 08 00 00 00 00 00
                08 00 09 00 ff ff ff ff""",
                "-Z", "-t", "192.0.2.30:80");
        sent("""
                0c 01 00 00 08 00 04 00 e8 03 00 00 08 00 05 00
                5a 00 00 00 08 00 06 00 c8 00 00 00""",
                "--set", "1000", "90", "200");
        sent("""
                03 01 00 00 54 00 01 80 06 00 01 00 02 00 00 00
                06 00 02 00 06 00 00 00 14 00 03 00 c0 00 02 20
                00 00 00 00 00 00 00 00 00 00 00 00 06 00 04 00
                00 50 00 00 05 00 06 00 00 00 00 00 0c 00 07 00
                00 00 00 00 ff ff ff ff 08 00 08 00 00 00 00 00
                08 00 09 00 ff ff ff ff""",
                "-D", "-t", "192.0.2.32:80");
        sent("""
                09 01 00 00 1c 00 03 80 08 00 01 00 01 00 00 00
                07 00 02 00 6c 6f 00 00 08 00 03 00 07 00 00 00""",
                "--start-daemon", "master", "--mcast-interface", "lo", "--syncid", "7");
        sent("""
                09 01 00 00 3c 00 03 80 08 00 01 00 02 00 00 00
                07 00 02 00 64 30 00 00 08 00 03 00 09 00 00 00
                06 00 04 00 78 05 00 00 06 00 07 00 92 22 00 00
                05 00 08 00 02 00 00 00 08 00 05 00 e0 00 00 51""",
                "--start-daemon", "backup", "--mcast-interface", "d0", "--syncid", "9", "--sync-maxlen", "1400", "--mcast-group", "224.0.0.81", "--mcast-port", "8850", "--mcast-ttl", "2");
        sent("""
                0a 01 00 00 1c 00 03 80 08 00 01 00 02 00 00 00
                05 00 02 00 00 00 00 00 08 00 03 00 00 00 00 00""",
                "--stop-daemon", "backup");
        sent("""
                11 01 00 00""",
                "-C");
    }

    @Test
    void lookupsAndDumpsEncodeAsIpvsadmSentThem() {
        // ipvsadm -Ln -t 192.0.2.30:80: GET_SERVICE with a zeroed service (netmask 0), then GET_DEST with the identity.
        assertThat(Hex.of(IpvsMessageCodec.getService(ServiceKey.of(IpProtocol.TCP, AddressText.parse("192.0.2.30"), 80)).toBytes()))
                .isEqualTo(Hex.of(Hex.parse("""
                04 01 00 00 54 00 01 80 06 00 01 00 02 00 00 00
                06 00 02 00 06 00 00 00 14 00 03 00 c0 00 02 1e
                00 00 00 00 00 00 00 00 00 00 00 00 06 00 04 00
                00 50 00 00 05 00 06 00 00 00 00 00 0c 00 07 00
                00 00 00 00 ff ff ff ff 08 00 08 00 00 00 00 00
                08 00 09 00 00 00 00 00""")));
        assertThat(Hex.of(IpvsMessageCodec.getDestinations(ServiceKey.of(IpProtocol.TCP, AddressText.parse("192.0.2.30"), 80)).toBytes()))
                .isEqualTo(Hex.of(Hex.parse("""
                08 01 00 00 30 00 01 80 06 00 01 00 02 00 00 00
                06 00 02 00 06 00 00 00 14 00 03 00 c0 00 02 1e
                00 00 00 00 00 00 00 00 00 00 00 00 06 00 04 00
                00 50 00 00""")));
        assertThat(Hex.of(IpvsMessageCodec.getDestinations(ServiceKey.fwmark(8, AddressFamily.INET6)).toBytes()))
                .isEqualTo(Hex.of(Hex.parse("08 01 00 00 14 00 01 80 06 00 01 00 0a 00 00 00 08 00 05 00 08 00 00 00")));
        assertThat(Hex.of(IpvsMessageCodec.getServices().toBytes())).isEqualTo("04 01 00 00");
        assertThat(Hex.of(IpvsMessageCodec.getDaemons().toBytes())).isEqualTo("0b 01 00 00");
        assertThat(Hex.of(IpvsMessageCodec.getTimeouts().toBytes())).isEqualTo("0d 01 00 00");
        assertThat(Hex.of(IpvsMessageCodec.getInfo().toBytes())).isEqualTo("0f 01 00 00");
    }

    // ---------------------------------------------------------------- what the 6.1 kernel answered
    // Replies carry no NLA_F_NESTED (the kernel nests with nla_nest_start_noflag), report HASHED (0x2) in the
    // service flags, and carry both STATS (32-bit counters) and STATS64.

    private static final String INFO = """
                0e 01 00 00 08 00 01 00 01 02 01 00 08 00 02 00
                00 10 00 00""";

    private static final String SVC443 = """
                01 01 00 00 2c 01 01 00 06 00 01 00 02 00 00 00
                06 00 02 00 06 00 00 00 14 00 03 00 c0 00 02 1f
                00 00 00 00 00 00 00 00 00 00 00 00 06 00 04 00
                01 bb 00 00 08 00 06 00 77 6c 63 00 0c 00 07 00
                03 00 00 00 ff ff ff ff 08 00 08 00 58 02 00 00
                08 00 09 00 ff ff ff 00 5c 00 0a 00 08 00 01 00
                00 00 00 00 08 00 02 00 00 00 00 00 08 00 03 00
                00 00 00 00 0c 00 04 00 00 00 00 00 00 00 00 00
                0c 00 05 00 00 00 00 00 00 00 00 00 08 00 06 00
                00 00 00 00 08 00 07 00 00 00 00 00 08 00 08 00
                00 00 00 00 08 00 09 00 00 00 00 00 08 00 0a 00
                00 00 00 00 7c 00 0c 00 0c 00 01 00 00 00 00 00
                00 00 00 00 0c 00 02 00 00 00 00 00 00 00 00 00
                0c 00 03 00 00 00 00 00 00 00 00 00 0c 00 04 00
                00 00 00 00 00 00 00 00 0c 00 05 00 00 00 00 00
                00 00 00 00 0c 00 06 00 00 00 00 00 00 00 00 00
                0c 00 07 00 00 00 00 00 00 00 00 00 0c 00 08 00
                00 00 00 00 00 00 00 00 0c 00 09 00 00 00 00 00
                00 00 00 00 0c 00 0a 00 00 00 00 00 00 00 00 00""";

    private static final String SVC6SIP = """
                01 01 00 00 34 01 01 00 06 00 01 00 0a 00 00 00
                06 00 02 00 11 00 00 00 14 00 03 00 20 01 0d b8
                00 00 00 00 00 00 00 00 00 00 00 30 06 00 04 00
                00 35 00 00 08 00 06 00 77 72 72 00 08 00 0b 00
                73 69 70 00 0c 00 07 00 03 00 00 00 ff ff ff ff
                08 00 08 00 1e 00 00 00 08 00 09 00 40 00 00 00
                5c 00 0a 00 08 00 01 00 00 00 00 00 08 00 02 00
                00 00 00 00 08 00 03 00 00 00 00 00 0c 00 04 00
                00 00 00 00 00 00 00 00 0c 00 05 00 00 00 00 00
                00 00 00 00 08 00 06 00 00 00 00 00 08 00 07 00
                00 00 00 00 08 00 08 00 00 00 00 00 08 00 09 00
                00 00 00 00 08 00 0a 00 00 00 00 00 7c 00 0c 00
                0c 00 01 00 00 00 00 00 00 00 00 00 0c 00 02 00
                00 00 00 00 00 00 00 00 0c 00 03 00 00 00 00 00
                00 00 00 00 0c 00 04 00 00 00 00 00 00 00 00 00
                0c 00 05 00 00 00 00 00 00 00 00 00 0c 00 06 00
                00 00 00 00 00 00 00 00 0c 00 07 00 00 00 00 00
                00 00 00 00 0c 00 08 00 00 00 00 00 00 00 00 00
                0c 00 09 00 00 00 00 00 00 00 00 00 0c 00 0a 00
                00 00 00 00 00 00 00 00""";

    private static final String SVCMARK7 = """
                01 01 00 00 10 01 01 00 06 00 01 00 02 00 00 00
                08 00 05 00 07 00 00 00 07 00 06 00 6d 68 00 00
                0c 00 07 00 12 00 00 00 ff ff ff ff 08 00 08 00
                00 00 00 00 08 00 09 00 ff ff ff ff 5c 00 0a 00
                08 00 01 00 00 00 00 00 08 00 02 00 00 00 00 00
                08 00 03 00 00 00 00 00 0c 00 04 00 00 00 00 00
                00 00 00 00 0c 00 05 00 00 00 00 00 00 00 00 00
                08 00 06 00 00 00 00 00 08 00 07 00 00 00 00 00
                08 00 08 00 00 00 00 00 08 00 09 00 00 00 00 00
                08 00 0a 00 00 00 00 00 7c 00 0c 00 0c 00 01 00
                00 00 00 00 00 00 00 00 0c 00 02 00 00 00 00 00
                00 00 00 00 0c 00 03 00 00 00 00 00 00 00 00 00
                0c 00 04 00 00 00 00 00 00 00 00 00 0c 00 05 00
                00 00 00 00 00 00 00 00 0c 00 06 00 00 00 00 00
                00 00 00 00 0c 00 07 00 00 00 00 00 00 00 00 00
                0c 00 08 00 00 00 00 00 00 00 00 00 0c 00 09 00
                00 00 00 00 00 00 00 00 0c 00 0a 00 00 00 00 00
                00 00 00 00""";

    private static final String DEST6MIXED = """
                05 01 00 00 50 01 02 00 14 00 01 00 20 01 0d b8
                00 01 00 00 00 00 00 00 00 00 00 65 06 00 02 00
                00 50 00 00 08 00 03 00 02 00 00 00 08 00 04 00
                01 00 00 00 05 00 0d 00 00 00 00 00 06 00 0e 00
                00 00 00 00 06 00 0f 00 00 00 00 00 08 00 05 00
                00 00 00 00 08 00 06 00 00 00 00 00 08 00 07 00
                00 00 00 00 08 00 08 00 00 00 00 00 08 00 09 00
                00 00 00 00 06 00 0b 00 0a 00 00 00 5c 00 0a 00
                08 00 01 00 00 00 00 00 08 00 02 00 00 00 00 00
                08 00 03 00 00 00 00 00 0c 00 04 00 00 00 00 00
                00 00 00 00 0c 00 05 00 00 00 00 00 00 00 00 00
                08 00 06 00 00 00 00 00 08 00 07 00 00 00 00 00
                08 00 08 00 00 00 00 00 08 00 09 00 00 00 00 00
                08 00 0a 00 00 00 00 00 7c 00 0c 00 0c 00 01 00
                00 00 00 00 00 00 00 00 0c 00 02 00 00 00 00 00
                00 00 00 00 0c 00 03 00 00 00 00 00 00 00 00 00
                0c 00 04 00 00 00 00 00 00 00 00 00 0c 00 05 00
                00 00 00 00 00 00 00 00 0c 00 06 00 00 00 00 00
                00 00 00 00 0c 00 07 00 00 00 00 00 00 00 00 00
                0c 00 08 00 00 00 00 00 00 00 00 00 0c 00 09 00
                00 00 00 00 00 00 00 00 0c 00 0a 00 00 00 00 00
                00 00 00 00""";

    private static final String DESTGUE = """
                05 01 00 00 50 01 02 00 14 00 01 00 c6 33 64 3f
                00 00 00 00 00 00 00 00 00 00 00 00 06 00 02 00
                00 50 00 00 08 00 03 00 02 00 00 00 08 00 04 00
                01 00 00 00 05 00 0d 00 01 00 00 00 06 00 0e 00
                17 c0 00 00 06 00 0f 00 02 00 00 00 08 00 05 00
                00 00 00 00 08 00 06 00 00 00 00 00 08 00 07 00
                00 00 00 00 08 00 08 00 00 00 00 00 08 00 09 00
                00 00 00 00 06 00 0b 00 02 00 00 00 5c 00 0a 00
                08 00 01 00 00 00 00 00 08 00 02 00 00 00 00 00
                08 00 03 00 00 00 00 00 0c 00 04 00 00 00 00 00
                00 00 00 00 0c 00 05 00 00 00 00 00 00 00 00 00
                08 00 06 00 00 00 00 00 08 00 07 00 00 00 00 00
                08 00 08 00 00 00 00 00 08 00 09 00 00 00 00 00
                08 00 0a 00 00 00 00 00 7c 00 0c 00 0c 00 01 00
                00 00 00 00 00 00 00 00 0c 00 02 00 00 00 00 00
                00 00 00 00 0c 00 03 00 00 00 00 00 00 00 00 00
                0c 00 04 00 00 00 00 00 00 00 00 00 0c 00 05 00
                00 00 00 00 00 00 00 00 0c 00 06 00 00 00 00 00
                00 00 00 00 0c 00 07 00 00 00 00 00 00 00 00 00
                0c 00 08 00 00 00 00 00 00 00 00 00 0c 00 09 00
                00 00 00 00 00 00 00 00 0c 00 0a 00 00 00 00 00
                00 00 00 00""";

    /** A GET_DAEMON reply: the master on lo, syncid 7 (also used by KernelIpvsTest). */
    static final String DAEMONMASTER = """
                09 01 00 00 3c 00 03 00 08 00 01 00 01 00 00 00
                07 00 02 00 6c 6f 00 00 08 00 03 00 07 00 00 00
                06 00 04 00 c0 05 00 00 06 00 07 00 90 22 00 00
                05 00 08 00 01 00 00 00 08 00 05 00 e0 00 00 51""";

    private static final String DAEMONBACKUP = """
                09 01 00 00 3c 00 03 00 08 00 01 00 02 00 00 00
                07 00 02 00 64 30 00 00 08 00 03 00 09 00 00 00
                06 00 04 00 78 05 00 00 06 00 07 00 92 22 00 00
                05 00 08 00 02 00 00 00 08 00 05 00 e0 00 00 51""";

    private static final String CONFIG = """
                0c 01 00 00 08 00 04 00 e8 03 00 00 08 00 05 00
                5a 00 00 00 08 00 06 00 c8 00 00 00""";

    /** TCP 192.0.2.10:443 after one local client's SYN (60 bytes): counters in STATS and STATS64, InBPS 3. */
    private static final String SVC443_AFTER_TRAFFIC = """
                01 01 00 00 2c 01 01 00 06 00 01 00 02 00 00 00
                06 00 02 00 06 00 00 00 14 00 03 00 c0 00 02 0a
                00 00 00 00 00 00 00 00 00 00 00 00 06 00 04 00
                01 bb 00 00 08 00 06 00 77 6c 63 00 0c 00 07 00
                03 00 00 00 ff ff ff ff 08 00 08 00 58 02 00 00
                08 00 09 00 ff ff ff 00 5c 00 0a 00 08 00 01 00
                01 00 00 00 08 00 02 00 01 00 00 00 08 00 03 00
                00 00 00 00 0c 00 04 00 3c 00 00 00 00 00 00 00
                0c 00 05 00 00 00 00 00 00 00 00 00 08 00 06 00
                00 00 00 00 08 00 07 00 00 00 00 00 08 00 08 00
                00 00 00 00 08 00 09 00 03 00 00 00 08 00 0a 00
                00 00 00 00 7c 00 0c 00 0c 00 01 00 01 00 00 00
                00 00 00 00 0c 00 02 00 01 00 00 00 00 00 00 00
                0c 00 03 00 00 00 00 00 00 00 00 00 0c 00 04 00
                3c 00 00 00 00 00 00 00 0c 00 05 00 00 00 00 00
                00 00 00 00 0c 00 06 00 00 00 00 00 00 00 00 00
                0c 00 07 00 00 00 00 00 00 00 00 00 0c 00 08 00
                00 00 00 00 00 00 00 00 0c 00 09 00 03 00 00 00
                00 00 00 00 0c 00 0a 00 00 00 00 00 00 00 00 00""";

    /** Its destination 198.51.100.12:443 -m -w 4 -x 20: one active connection, one persistence template. */
    private static final String DEST_AFTER_TRAFFIC = """
                05 01 00 00 50 01 02 00 14 00 01 00 c6 33 64 0c
                00 00 00 00 00 00 00 00 00 00 00 00 06 00 02 00
                01 bb 00 00 08 00 03 00 00 00 00 00 08 00 04 00
                04 00 00 00 05 00 0d 00 00 00 00 00 06 00 0e 00
                00 00 00 00 06 00 0f 00 00 00 00 00 08 00 05 00
                14 00 00 00 08 00 06 00 00 00 00 00 08 00 07 00
                01 00 00 00 08 00 08 00 00 00 00 00 08 00 09 00
                01 00 00 00 06 00 0b 00 02 00 00 00 5c 00 0a 00
                08 00 01 00 01 00 00 00 08 00 02 00 01 00 00 00
                08 00 03 00 00 00 00 00 0c 00 04 00 3c 00 00 00
                00 00 00 00 0c 00 05 00 00 00 00 00 00 00 00 00
                08 00 06 00 00 00 00 00 08 00 07 00 00 00 00 00
                08 00 08 00 00 00 00 00 08 00 09 00 03 00 00 00
                08 00 0a 00 00 00 00 00 7c 00 0c 00 0c 00 01 00
                01 00 00 00 00 00 00 00 0c 00 02 00 01 00 00 00
                00 00 00 00 0c 00 03 00 00 00 00 00 00 00 00 00
                0c 00 04 00 3c 00 00 00 00 00 00 00 0c 00 05 00
                00 00 00 00 00 00 00 00 0c 00 06 00 00 00 00 00
                00 00 00 00 0c 00 07 00 00 00 00 00 00 00 00 00
                0c 00 08 00 00 00 00 00 00 00 00 00 0c 00 09 00
                03 00 00 00 00 00 00 00 0c 00 0a 00 00 00 00 00
                00 00 00 00""";

    @Test
    void decodesCountersRatesAndConnectionCounts() {
        ServiceStatus s = IpvsMessageCodec.decodeService(Hex.parse(SVC443_AFTER_TRAFFIC));
        assertThat(s.stats()).isEqualTo(new Stats(1, 1, 0, 60, 0));
        assertThat(s.rates()).isEqualTo(new Rates(0, 0, 0, 3, 0));
        DestinationStatus d = IpvsMessageCodec.decodeDestination(Hex.parse(DEST_AFTER_TRAFFIC), AddressFamily.INET);
        assertThat(d.destination()).isEqualTo(new Destination(AddressText.parse("198.51.100.12"), 443, ForwardingMethod.MASQ, 4, 20, 0,
                Tunnel.IPIP));
        assertThat(d.activeConns()).isEqualTo(1);
        assertThat(d.inactiveConns()).isZero();
        assertThat(d.persistConns()).isEqualTo(1);
        assertThat(d.stats()).isEqualTo(new Stats(1, 1, 0, 60, 0));
    }

    @Test
    void decodesServiceRepliesIncludingTheHashedFlagAndBothStatsBlocks() {
        ServiceStatus web = IpvsMessageCodec.decodeService(Hex.parse(SVC443));
        assertThat(web.service()).isEqualTo(VirtualService.of(ServiceKey.of(IpProtocol.TCP, AddressText.parse("192.0.2.31"), 443), "wlc")
                .withPersistence(600, 0xFFFFFF00));
        ServiceStatus sip = IpvsMessageCodec.decodeService(Hex.parse(SVC6SIP));
        assertThat(sip.service()).isEqualTo(new VirtualService(ServiceKey.of(IpProtocol.UDP, AddressText.parse("2001:db8::30"), 53),
                "wrr", 0, 30, 64, false, "sip"));
        ServiceStatus mark = IpvsMessageCodec.decodeService(Hex.parse(SVCMARK7));
        assertThat(mark.service()).isEqualTo(new VirtualService(ServiceKey.fwmark(7, AddressFamily.INET), "mh", ServiceFlags.MH_PORT,
                0, 0xFFFFFFFF, false, ""));
        assertThat(mark.destinations()).isEmpty();
    }

    @Test
    void decodesDestinationRepliesWithTunnelsAndAnotherFamily() {
        DestinationStatus gue = IpvsMessageCodec.decodeDestination(Hex.parse(DESTGUE), AddressFamily.INET);
        assertThat(gue.destination()).isEqualTo(new Destination(AddressText.parse("198.51.100.63"), 80, ForwardingMethod.TUNNEL, 1, 0, 0,
                new Tunnel(TunnelType.GUE, 6080, TunnelChecksum.REMCSUM)));
        // An IPv6 tunnel destination of an IPv4 service: ADDR_FAMILY 10 decides, not the service's family.
        DestinationStatus mixed = IpvsMessageCodec.decodeDestination(Hex.parse(DEST6MIXED), AddressFamily.INET);
        assertThat(mixed.destination()).isEqualTo(Destination.of(AddressText.parse("2001:db8:1::65"), 80, ForwardingMethod.TUNNEL, 1));
    }

    @Test
    void decodesDaemonsWithTheKernelsDefaultsFilledIn() {
        // The master was started with interface and syncid only; the kernel reports maxlen 1472, group, port and ttl.
        assertThat(IpvsMessageCodec.decodeDaemon(Hex.parse(DAEMONMASTER)))
                .isEqualTo(new SyncDaemon(SyncState.MASTER, "lo", 7, 1472, AddressText.parse("224.0.0.81"), 8848, 1));
        assertThat(IpvsMessageCodec.decodeDaemon(Hex.parse(DAEMONBACKUP)))
                .isEqualTo(new SyncDaemon(SyncState.BACKUP, "d0", 9, 1400, AddressText.parse("224.0.0.81"), 8850, 2));
    }

    @Test
    void decodesConfigAndInfo() {
        assertThat(IpvsMessageCodec.decodeTimeouts(Hex.parse(CONFIG))).isEqualTo(new Timeouts(1000, 90, 200));
        assertThat(IpvsMessageCodec.decodeInfo(Hex.parse(INFO)).connTableSize()).isEqualTo(4096);
        assertThat(IpvsMessageCodec.decodeInfo(Hex.parse(INFO)).version()).isEqualTo("1.2.1");
        assertThat(Arrays.copyOf(Hex.parse(INFO), 1)[0]).isEqualTo((byte) IpvsGenl.CMD_SET_INFO);
    }
}
