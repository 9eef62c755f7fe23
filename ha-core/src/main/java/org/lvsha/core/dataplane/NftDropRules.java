package org.lvsha.core.dataplane;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Keeps the host's own stack from answering virtual-service traffic that the data plane forwards: an nftables
 * table {@code inet lvsha_dp} owned by lvsha, dropping in prerouting (priority raw) what the BPF filter hands to
 * the rings. AF_PACKET taps run in {@code __netif_receive_skb} before netfilter, so the rings still see every
 * dropped frame. Without it the director's kernel would send RSTs for the VIP (no listener) and, with
 * ip_forward on, route NAT replies to the client un-rewritten.
 *
 * <p>Every update is one {@code nft -f} transaction "add table; delete table; table {...}", so a table left by a
 * crashed run is replaced atomically at the next start, and {@link #remove} works whether or not it exists.
 */
public final class NftDropRules {
    public static final String TABLE = "lvsha_dp";

    private final String table;

    public NftDropRules() {
        this(TABLE);
    }

    public NftDropRules(String table) {
        this.table = table;
    }

    /** The script that replaces the table with drops for {@code rules} (receive rules, see {@link ServiceFilter.Rule}). */
    public String script(List<ServiceFilter.Rule> rules) {
        StringBuilder s = new StringBuilder(reset());
        s.append("table inet ").append(table).append(" {\n");
        s.append("  chain prerouting {\n    type filter hook prerouting priority -300; policy accept;\n");
        for (ServiceFilter.Rule r : rules) {
            String proto = r.protocol() == Ipv4Frame.PROTO_TCP ? "tcp" : "udp";
            String addr = addressText(r.address());
            if (r.matchSource()) {
                // A real server's NAT reply to a client; replies to the director's own connections (health
                // checks) are local and must still reach it.
                s.append("    ip saddr ").append(addr).append(' ').append(proto).append(" sport ").append(r.port())
                        .append(" fib daddr type != local drop\n");
            } else if (r.port() == 0) {
                s.append("    ip daddr ").append(addr).append(" meta l4proto ").append(proto).append(" drop\n");
            } else {
                s.append("    ip daddr ").append(addr).append(' ').append(proto).append(" dport ").append(r.port()).append(" drop\n");
            }
        }
        s.append("  }\n}\n");
        return s.toString();
    }

    private String reset() {
        return "add table inet " + table + "\ndelete table inet " + table + "\n";
    }

    public void install(List<ServiceFilter.Rule> rules) {
        run(script(rules));
    }

    /** Removes the table if present. */
    public void remove() {
        run(reset());
    }

    private static void run(String script) {
        try {
            Process p = new ProcessBuilder("nft", "-f", "-").redirectErrorStream(true).start();
            try (OutputStream in = p.getOutputStream()) {
                in.write(script.getBytes(StandardCharsets.US_ASCII));
            }
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("nft did not finish within 10 s");
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException("nft -f failed (exit " + p.exitValue() + "): " + out.trim() + "\nscript:\n" + script);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run nft: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running nft", e);
        }
    }

    static String addressText(int a) {
        return ((a >>> 24) & 0xff) + "." + ((a >>> 16) & 0xff) + "." + ((a >>> 8) & 0xff) + "." + (a & 0xff);
    }
}
