package org.lvsha.dist.vrrp;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code lvsha bench ...}: benchmarks that build their own lab (not tests: they print figures). */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Benchmarks in a namespace lab.",
        subcommands = VrrpBenchCommand.class)
public final class BenchCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
