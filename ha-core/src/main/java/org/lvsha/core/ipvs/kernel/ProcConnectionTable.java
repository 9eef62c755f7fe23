package org.lvsha.core.ipvs.kernel;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

import org.lvsha.core.ipvs.AddressText;
import org.lvsha.core.ipvs.ConnectionEntry;

/**
 * Parses {@code /proc/net/ip_vs_conn} (§3.5): a header line, then
 * {@code Pro FromIP FPrt ToIP TPrt DestIP DPrt State Expires [PEName PEData]} with IPv4 addresses as 8 hex
 * digits of the host-order value, IPv6 addresses in full colon form, ports as 4 hex digits and the seconds
 * left. The file does not show the connection flags; an entry with client port 0 in state NONE or ASSURED is
 * taken as a persistence template (that is how templates are keyed, §1.7), and the forwarding method is not
 * known (reported as MASQ, code 0).
 */
public final class ProcConnectionTable {

    private ProcConnectionTable() {
    }

    public static List<ConnectionEntry> parse(List<String> lines) {
        List<ConnectionEntry> out = new ArrayList<>();
        for (int n = 1; n < lines.size(); n++) {
            String line = lines.get(n).trim();
            if (line.isEmpty()) {
                continue;
            }
            String[] f = line.split("\\s+");
            if (f.length < 9) {
                throw new MalformedReplyException("/proc/net/ip_vs_conn line " + (n + 1) + ": " + line);
            }
            try {
                int cport = Integer.parseInt(f[2], 16);
                String state = f[7];
                boolean template = cport == 0 && ("NONE".equals(state) || "ASSURED".equals(state));
                out.add(new ConnectionEntry(f[0], address(f[1]), cport, address(f[3]), Integer.parseInt(f[4], 16),
                        address(f[5]), Integer.parseInt(f[6], 16), state,
                        template ? ConnectionEntry.FLAG_TEMPLATE : 0, Long.parseLong(f[8]),
                        f.length > 9 ? f[9] : "", f.length > 10 ? f[10] : ""));
            } catch (IllegalArgumentException e) {
                throw new MalformedReplyException("/proc/net/ip_vs_conn line " + (n + 1) + ": " + e.getMessage());
            }
        }
        return out;
    }

    private static InetAddress address(String token) {
        if (token.indexOf(':') >= 0) {
            return AddressText.parse(token);
        }
        if (token.length() != 8) {
            throw new IllegalArgumentException("bad IPv4 field " + token);
        }
        long v = Long.parseLong(token, 16);
        return AddressText.ofBytes(new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v});
    }
}
