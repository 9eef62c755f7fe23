package org.lvsha.dist.dataplane;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

import org.lvsha.core.lab.Shell;
import org.lvsha.core.platform.NetworkNamespace;
import org.lvsha.dist.lab.AddressPlan;
import org.lvsha.dist.lab.RunningLab;

/** Client-side helpers for the data plane lab tests: curl from the client namespace, held echo connections. */
final class DataplaneLabSupport {
    private DataplaneLabSupport() {
    }

    /** GET http://VIP:port/ from the client (optionally from a given source address): the real server's name, or "" on failure. */
    static String get(RunningLab lab, String source, int port) {
        // 10 s (see Echo.ANSWER_MILLIS): every caller expects an answer, and one timed out on a loaded machine would
        // both fail the call and shift a round-robin count.
        String ns = lab.topology().ns("client");
        Shell.Result r = source == null
                ? lab.netns().tryExec(ns, java.time.Duration.ofSeconds(15), "curl", "-s", "-m", "10", "http://" + AddressPlan.VIP4 + ":" + port + "/")
                : lab.netns().tryExec(ns, java.time.Duration.ofSeconds(15), "curl", "-s", "-m", "10", "--interface", source,
                "http://" + AddressPlan.VIP4 + ":" + port + "/");
        return r.ok() ? r.stdout().strip() : "";
    }

    /** {@code n} sequential requests from the client; counts per real server name ("" = failed). */
    static Map<String, Integer> distribution(RunningLab lab, int n, int port) {
        Map<String, Integer> out = new TreeMap<>();
        for (int i = 0; i < n; i++) {
            out.merge(get(lab, null, port), 1, Integer::sum);
        }
        return out;
    }

    /** A TCP connection to VIP:9000 opened in the client's namespace, talking lines to the echo service. */
    static final class Echo implements AutoCloseable {
        final Socket socket;
        /**
         * How long an answer may take: the first segments through a data plane and a real server take cold code
         * paths, a second or more on a loaded machine. A long wait costs nothing when the answer comes.
         */
        static final int ANSWER_MILLIS = 10_000;
        final BufferedReader in;
        final OutputStream out;

        Echo(RunningLab lab) {
            socket = NetworkNamespace.call(lab.topology().ns("client"), () -> {
                Socket s = new Socket();
                s.connect(new InetSocketAddress(AddressPlan.VIP4, AddressPlan.STREAM_PORT), ANSWER_MILLIS);
                return s;
            });
            try {
                socket.setSoTimeout(ANSWER_MILLIS);
                in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
                out = socket.getOutputStream();
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        }

        /** Sends a line; returns the echo ("rsN line") or null when nothing came back within {@link #ANSWER_MILLIS}. */
        String echo(String line) {
            return echo(line, ANSWER_MILLIS);
        }

        /** As {@link #echo(String)}, waiting {@code millis} for the answer (a short wait for a claim that none comes). */
        String echo(String line, int millis) {
            try {
                socket.setSoTimeout(millis);
                out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
                return in.readLine();
            } catch (java.io.IOException e) {
                return null;
            }
        }

        String server() {
            String r = echo("who");
            return r == null ? null : r.split(" ")[0];
        }

        @Override
        public void close() {
            try {
                socket.close();
            } catch (java.io.IOException e) {
                // closing
            }
        }
    }

    static Map<String, Integer> counts(String... namesAndCounts) {
        Map<String, Integer> m = new LinkedHashMap<>();
        for (int i = 0; i < namesAndCounts.length; i += 2) {
            m.put(namesAndCounts[i], Integer.parseInt(namesAndCounts[i + 1]));
        }
        return m;
    }
}
