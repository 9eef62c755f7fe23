package org.lvsha.core.ipvs.admin;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.lvsha.core.ipvs.Ipvs;
import org.lvsha.core.ipvs.IpvsException;
import org.lvsha.core.ipvs.ServiceStatus;

/**
 * {@code lvsha ipvs}: ipvsadm's command line over any {@link Ipvs} adapter. Output is ipvsadm's text (see
 * {@link IpvsadmFormatter}); failures print ipvsadm's message plus the object and errno on stderr.
 * Exit status: 0 success, 1 a refused operation, 2 a usage error.
 */
public final class Ipvsadm {

    public static final String VERSION = "lvsha ipvs (ipvsadm 1.31 compatible)";

    private final Ipvs ipvs;
    private final InputStream in;
    private final PrintStream out;
    private final PrintStream err;

    public Ipvsadm(Ipvs ipvs, InputStream in, PrintStream out, PrintStream err) {
        this.ipvs = ipvs;
        this.in = in;
        this.out = out;
        this.err = err;
    }

    public int run(String... args) {
        IpvsadmCommand cmd;
        try {
            cmd = IpvsadmParser.parse(args);
        } catch (IpvsadmUsageException e) {
            err.println(e.getMessage());
            err.println("Try `lvsha ipvs -h' for more information.");
            return 2;
        }
        try {
            return execute(cmd);
        } catch (IpvsException e) {
            err.println(e.getMessage());
            return 1;
        } catch (IpvsadmUsageException e) {
            err.println(e.getMessage());
            return 2;
        } catch (UncheckedIOException | org.lvsha.core.ipvs.kernel.MalformedReplyException e) {
            err.println(e.getMessage());
            return 1;
        } finally {
            out.flush();
        }
    }

    private int execute(IpvsadmCommand c) {
        switch (c.kind()) {
            case ADD_SERVICE -> ipvs.addService(c.service());
            case EDIT_SERVICE -> ipvs.editService(c.service());
            case DELETE_SERVICE -> ipvs.deleteService(c.serviceKey());
            case FLUSH -> ipvs.flush();
            case ADD_SERVER -> ipvs.addDestination(c.serviceKey(), c.destination());
            case EDIT_SERVER -> ipvs.editDestination(c.serviceKey(), c.destination());
            case DELETE_SERVER -> ipvs.deleteDestination(c.serviceKey(), c.destination().address(), c.destination().port());
            case SET_TIMEOUTS -> ipvs.setTimeouts(c.timeouts());
            case START_DAEMON -> ipvs.startDaemon(c.daemon());
            case STOP_DAEMON -> ipvs.stopDaemon(c.daemonState());
            case ZERO -> {
                if (c.serviceKey() == null) {
                    ipvs.zero();
                } else {
                    ipvs.zero(c.serviceKey());
                }
            }
            case SAVE -> out.print(IpvsadmFormatter.save(ipvs.services(), c.format()));
            case LIST -> list(c);
            case RESTORE -> {
                return restore();
            }
            case HELP -> out.print(usage());
            case VERSION -> out.println(VERSION);
            default -> throw new IllegalStateException(c.kind().toString());
        }
        return 0;
    }

    private void list(IpvsadmCommand c) {
        ListFormat f = c.format();
        if (f.connections()) {
            out.print(IpvsadmFormatter.connections(ipvs.connections(), f));
        } else if (f.timeout()) {
            out.print(IpvsadmFormatter.timeouts(ipvs.timeouts()));
        } else if (f.daemon()) {
            out.print(IpvsadmFormatter.daemons(ipvs.daemons()));
        } else if (c.serviceKey() != null) {
            Optional<ServiceStatus> s = ipvs.service(c.serviceKey());
            if (s.isEmpty()) {
                throw new IpvsException(3, org.lvsha.core.ipvs.IpvsOperation.GET_SERVICE, c.serviceKey().describe());
            }
            out.print(IpvsadmFormatter.listOne(s.get(), f));
        } else {
            out.print(IpvsadmFormatter.list(ipvs.info(), ipvs.services(), f));
        }
    }

    /**
     * {@code -R}: each line of stdin is an ipvsadm command line, as written by {@code -S}. Every line is parsed
     * before any is applied, so a malformed file changes nothing; then lines are applied in order and the first
     * refusal stops the restore, naming its line.
     */
    private int restore() {
        List<String[]> lines = new ArrayList<>();
        List<Integer> numbers = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            int n = 0;
            while ((line = r.readLine()) != null) {
                n++;
                String t = line.trim();
                if (t.isEmpty() || t.startsWith("#")) {
                    continue;
                }
                lines.add(t.split("\\s+"));
                numbers.add(n);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<IpvsadmCommand> commands = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            try {
                IpvsadmCommand c = IpvsadmParser.parse(lines.get(i));
                if (c.kind() == IpvsadmCommand.Kind.RESTORE) {
                    throw new IpvsadmUsageException("-R is not allowed inside a restore");
                }
                commands.add(c);
            } catch (IpvsadmUsageException e) {
                throw new IpvsadmUsageException("line " + numbers.get(i) + ": " + e.getMessage());
            }
        }
        for (int i = 0; i < commands.size(); i++) {
            try {
                execute(commands.get(i));
            } catch (IpvsException e) {
                err.println("line " + numbers.get(i) + ": " + e.getMessage());
                return 1;
            }
        }
        return 0;
    }

    static String usage() {
        return """
                Usage:
                  lvsha ipvs -A|E virtual-service [-s scheduler] [-p [timeout]] [-M netmask] [--pe persistence_engine] [-b sched-flags]
                  lvsha ipvs -D virtual-service
                  lvsha ipvs -C
                  lvsha ipvs -R
                  lvsha ipvs -S [-n]
                  lvsha ipvs -a|e virtual-service -r server-address [options]
                  lvsha ipvs -d virtual-service -r server-address
                  lvsha ipvs -L|l [virtual-service] [options]
                  lvsha ipvs -Z [virtual-service]
                  lvsha ipvs --set tcp tcpfin udp
                  lvsha ipvs --start-daemon {master|backup} [daemon-options]
                  lvsha ipvs --stop-daemon {master|backup}
                  lvsha ipvs -h

                virtual-service: --tcp-service|-t service-address | --udp-service|-u service-address
                                 | --sctp-service service-address | --fwmark-service|-f fwmark [-6]
                Options: -s -p -M -b --pe -o -r -g -m -i -w -x -y --tun-type --tun-port --tun-nocsum --tun-csum
                         --tun-remcsum -n -c --stats --rate --thresholds --persistent-conn --tun-info --nosort --exact
                         --timeout --daemon --mcast-interface --syncid --sync-maxlen --mcast-group --mcast-port --mcast-ttl
                Addresses and ports are numeric; -L without -n prints numeric output too (no name resolution).
                """;
    }
}
