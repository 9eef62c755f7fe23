package org.lvsha.dist.lab;

/**
 * The lab's addressing plan (LAB.md) as code, so the lab, tests, sample configs and drills cannot
 * drift apart. IPv6 host parts reuse the IPv4 host number's decimal digits ({@code .11} is
 * {@code ::11}), exactly as the plan writes them.
 */
public final class AddressPlan {
    /** The networks of the lab; {@code id} is the MAC's network byte. */
    public enum Net {
        OUTSIDE(1, "203.0.113.", "2001:db8:0:1::"),
        INSIDE(2, "192.0.2.", "2001:db8:0:2::"),
        SPARE(3, "198.51.100.", "2001:db8:0:3::");

        private final int id;
        private final String v4Prefix;
        private final String v6Prefix;

        Net(int id, String v4Prefix, String v6Prefix) {
            this.id = id;
            this.v4Prefix = v4Prefix;
            this.v6Prefix = v6Prefix;
        }

        public String v4(int host) {
            return v4Prefix + checkHost(host);
        }

        public String v6(int host) {
            return v6Prefix + checkHost(host);
        }

        public String v4Cidr(int host) {
            return v4(host) + "/24";
        }

        public String v6Cidr(int host) {
            return v6(host) + "/64";
        }

        public String v4Subnet() {
            return v4Prefix + "0/24";
        }

        public String v6Subnet() {
            return v6Prefix + "/64";
        }

        /** {@code 02:00:5e:LL:00:HH}: locally administered, LL the network, HH the host number. */
        public String mac(int host) {
            return String.format("02:00:5e:%02x:00:%02x", id, checkHost(host));
        }
    }

    public static final int ROUTER = 1;
    public static final int DIR1 = 2;
    public static final int DIR2 = 3;
    public static final int CLIENT = 10;
    public static final int VIP_HOST = 100;
    public static final int DIP_HOST = 254;

    public static final String VIP4 = Net.OUTSIDE.v4(VIP_HOST);
    public static final String VIP6 = Net.OUTSIDE.v6(VIP_HOST);
    public static final String DIP4 = Net.INSIDE.v4(DIP_HOST);
    public static final String DIP6 = Net.INSIDE.v6(DIP_HOST);
    /** Labels the VIP and DIP carry on the master (as keepalived's {@code eth0:0}). */
    public static final String VIP_LABEL = "eth0:0";
    public static final String DIP_LABEL = "eth1:0";

    public static final int VRID_VIP = 51;
    public static final int VRID_DIP = 52;
    public static final int HTTP_PORT = 80;
    public static final int STREAM_PORT = 9000;

    private AddressPlan() {
    }

    /** Host number of director 1 or 2. */
    public static int director(int index) {
        if (index != 1 && index != 2) {
            throw new IllegalArgumentException("directors are 1 and 2, not " + index);
        }
        return index == 1 ? DIR1 : DIR2;
    }

    /** Host number of real server {@code index} (1-based): .11, .12, ... */
    public static int realServer(int index) {
        if (index < 1 || index > Lab.MAX_REAL_SERVERS) {
            throw new IllegalArgumentException("real server index out of range: " + index);
        }
        return 10 + index;
    }

    public static String rip4(int index) {
        return Net.INSIDE.v4(realServer(index));
    }

    public static String rip6(int index) {
        return Net.INSIDE.v6(realServer(index));
    }

    private static int checkHost(int host) {
        if (host < 1 || host > 254) {
            throw new IllegalArgumentException("host number must be 1..254: " + host);
        }
        return host;
    }
}
