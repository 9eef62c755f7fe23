package org.lvsha.dist.daemon;

import java.util.concurrent.Callable;
import org.lvsha.dist.admin.AdminClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code lvsha reload}: as SIGHUP, but the answer says whether the new file was applied and, if not, why. */
@Command(name = "reload", mixinStandardHelpOptions = true, description = "Re-read a running director's configuration file.")
public final class ReloadCommand implements Callable<Integer> {
    @Mixin
    AdminEndpointOptions endpoint;

    @Override
    public Integer call() {
        try {
            AdminClient.Response r = endpoint.client().post("/reload");
            (r.ok() ? System.out : System.err).print(r.body());
            return r.ok() ? 0 : 2;
        } catch (IllegalStateException | IllegalArgumentException e) {
            System.err.println("lvsha reload: " + e.getMessage());
            return 1;
        }
    }
}
