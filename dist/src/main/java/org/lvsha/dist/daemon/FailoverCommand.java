package org.lvsha.dist.daemon;

import java.util.concurrent.Callable;
import org.lvsha.dist.admin.AdminClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code lvsha failover}: planned, make-before-break switchover from the master this command talks to (the old
 * master keeps its addresses until it hears the new one advertise). {@code --back} asks this director's configured
 * peer, the current master, to switch over back to it.
 */
@Command(name = "failover", mixinStandardHelpOptions = true,
        description = "Planned switchover: the master hands its VRRP instances to the peer without dropping a request.")
public final class FailoverCommand implements Callable<Integer> {
    @Mixin
    AdminEndpointOptions endpoint;

    @Option(names = "--back", description = "run on the director that gave mastership away: asks its peer (admin.peer) to hand it back")
    boolean back;

    @Override
    public Integer call() {
        try {
            AdminClient.Response r = endpoint.client().post(back ? "/failover/back" : "/failover");
            (r.ok() ? System.out : System.err).print(r.body());
            return r.ok() ? 0 : 1;
        } catch (IllegalStateException | IllegalArgumentException e) {
            System.err.println("lvsha failover: " + e.getMessage());
            return 1;
        }
    }
}
