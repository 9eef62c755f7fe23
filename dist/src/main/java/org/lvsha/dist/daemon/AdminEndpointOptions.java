package org.lvsha.dist.daemon;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import org.lvsha.dist.admin.AdminClient;
import org.lvsha.dist.config.AdminSettings;
import org.lvsha.dist.config.DaemonConfigLoader;
import picocli.CommandLine.Option;

/** How the client commands find the admin endpoint: {@code --admin HOST:PORT}, or the {@code admin.listen} of {@code --config}. */
public final class AdminEndpointOptions {
    @Option(names = "--admin", description = "the admin endpoint, HOST:PORT (default 127.0.0.1:9180)")
    String admin;

    @Option(names = "--config", description = "read the admin endpoint from this director's YAML file")
    Path config;

    AdminClient client() {
        if (admin != null) {
            int colon = admin.lastIndexOf(':');
            if (colon < 0) {
                throw new IllegalArgumentException("--admin wants HOST:PORT, got " + admin);
            }
            String host = admin.substring(0, colon).replace("[", "").replace("]", "");
            try {
                return new AdminClient(new InetSocketAddress(InetAddress.getByName(host), Integer.parseInt(admin.substring(colon + 1))));
            } catch (java.net.UnknownHostException | NumberFormatException e) {
                throw new IllegalArgumentException("--admin " + admin + ": " + e.getMessage());
            }
        }
        if (config != null) {
            try {
                return new AdminClient(DaemonConfigLoader.load(config).admin().listen());
            } catch (org.lvsha.core.config.InvalidConfigException e) {
                throw new IllegalArgumentException(config + " is not valid (" + e.problems().get(0) + ")");
            }
        }
        return new AdminClient(new InetSocketAddress(InetAddress.getLoopbackAddress(), AdminSettings.DEFAULT_PORT));
    }
}
