package org.lvsha.dist.lab;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.lvsha.core.lab.NetnsLab;
import org.lvsha.core.lab.Shell;

/**
 * One HTTP GET sent from inside a lab namespace. This JVM lives in the root namespace and cannot
 * open sockets in another one, so the request is made by curl run with {@code ip netns exec};
 * curl also measures the request itself, without its own process start.
 */
public final class NamespaceHttp {
    /** Printed by curl after the body; its fields are what a probe reports. */
    private static final String WRITE_OUT = "\n%{http_code} %{time_total} %header{x-real-server}";

    private NamespaceHttp() {
    }

    /** The outcome of one GET; {@code status} 0 means no HTTP response at all ({@code error} says why). */
    public record Response(int status, String server, String body, double millis, String error) {
        public boolean ok() {
            return status == 200;
        }
    }

    /** {@code GET http://host:port/path} from namespace {@code ns}, bounded by {@code timeout}. */
    public static Response get(String ns, String host, int port, String path, Duration timeout) {
        String hostPart = host.contains(":") ? "[" + host + "]" : host;
        String url = "http://" + hostPart + ":" + port + path;
        List<String> cmd = new ArrayList<>(List.of("curl", "-sS", "--noproxy", "*", "-g",
                "--max-time", String.format(java.util.Locale.ROOT, "%.3f", timeout.toMillis() / 1000.0),
                "-w", WRITE_OUT, url));
        Shell.Result r = Shell.exec(timeout.plusSeconds(5), NetnsLab.nsCommand(ns, cmd.toArray(String[]::new)));
        String out = r.stdout();
        int cut = out.lastIndexOf('\n');
        String body = cut < 0 ? "" : out.substring(0, cut);
        String[] fields = (cut < 0 ? out : out.substring(cut + 1)).split(" ", 3);
        int status = 0;
        double millis = 0;
        try {
            status = Integer.parseInt(fields[0].strip());
            millis = Double.parseDouble(fields[1].strip()) * 1000;
        } catch (RuntimeException e) {
            // curl printed nothing usable (not installed, killed): reported through error below.
        }
        String server = fields.length > 2 ? fields[2].strip() : "";
        String error = r.ok() ? "" : r.stderr().strip().isEmpty() ? "curl exited " + r.exitCode() : r.stderr().strip();
        return new Response(r.ok() ? status : 0, server, body, millis, error);
    }
}
