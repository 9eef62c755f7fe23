package org.lvsha.dist.realserver;

import java.net.InetAddress;
import java.util.List;
import java.util.concurrent.Callable;
import org.lvsha.dist.lab.AddressPlan;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code lvsha realserver}: runs the built-in real server in the foreground until killed. */
@Command(name = "realserver", mixinStandardHelpOptions = true,
        description = "Run the lab's built-in real server: HTTP identity/stream on --http-port, prefixed line echo on --stream-port.")
public final class RealServerCommand implements Callable<Integer> {
    @Option(names = "--name", required = true, description = "Identity reported to clients, e.g. rs1.")
    String name;

    @Option(names = "--listen", split = ",", defaultValue = "::",
            description = "Addresses to bind (repeatable; default ${DEFAULT-VALUE}, all IPv4 and IPv6 addresses).")
    List<InetAddress> listen;

    @Option(names = "--http-port", defaultValue = "" + AddressPlan.HTTP_PORT, description = "Default ${DEFAULT-VALUE}.")
    int httpPort;

    @Option(names = "--stream-port", defaultValue = "" + AddressPlan.STREAM_PORT, description = "Default ${DEFAULT-VALUE}.")
    int streamPort;

    @Override
    public Integer call() throws Exception {
        RealServer server = RealServer.start(name, listen, httpPort, streamPort);
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "realserver-stop"));
        System.out.println("realserver " + name + " ready on " + server.boundAddresses());
        System.out.flush();
        server.awaitClose();
        return 0;
    }
}
