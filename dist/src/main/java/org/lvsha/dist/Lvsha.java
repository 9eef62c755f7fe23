package org.lvsha.dist;

import org.lvsha.dist.daemon.FailoverCommand;
import org.lvsha.dist.drill.DrillCommand;
import org.lvsha.dist.daemon.ReloadCommand;
import org.lvsha.dist.daemon.RunCommand;
import org.lvsha.dist.daemon.StatusCommand;
import org.lvsha.dist.dataplane.DataplaneCommand;
import org.lvsha.dist.drill.DrillCommand;
import org.lvsha.dist.ipvs.IpvsCommand;
import org.lvsha.dist.lab.LabCommand;
import org.lvsha.dist.realserver.RealServerCommand;
import org.lvsha.dist.vrrp.BenchCommand;
import org.lvsha.dist.vrrp.VrrpCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code lvsha} command: the composition root every operator entry point hangs off.
 * Each subcommand is its own class; this one only lists them.
 */
@Command(name = "lvsha",
        mixinStandardHelpOptions = true,
        version = "lvsha 0.1.0",
        description = "High-availability LVS/IPVS director pair: VRRP, connection sync, health checks.",
        subcommands = {
                CommandLine.HelpCommand.class,
                IpvsCommand.class,
                LabCommand.class,
                DrillCommand.class,
                DataplaneCommand.class,
                BenchCommand.class,
                RealServerCommand.class,
                VrrpCommand.class,
                RunCommand.class,
                StatusCommand.class,
                FailoverCommand.class,
                ReloadCommand.class,
        })
public final class Lvsha implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /**
     * The command tree. Two branches each brought a {@code bench} command ({@code bench vrrp}, {@code bench dataplane});
     * picocli allows one name once, so the data plane's and sync's benchmarks hang under the VRRP branch's {@code bench}.
     */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Lvsha());
        CommandLine bench = cli.getSubcommands().get("bench");
        bench.addSubcommand("dataplane", new org.lvsha.dist.dataplane.BenchCommand.Dataplane());
        bench.addSubcommand("sync", new org.lvsha.dist.sync.SyncBenchCommand());
        return cli;
    }

    public static void main(String[] args) {
        CommandLine cli = commandLine();
        int code = cli.execute(args);
        // picocli's writers flush only on println/printf; a subcommand's print() must not be lost.
        cli.getOut().flush();
        cli.getErr().flush();
        System.exit(code);
    }
}
