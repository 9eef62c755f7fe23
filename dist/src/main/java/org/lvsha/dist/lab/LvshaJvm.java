package org.lvsha.dist.lab;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line that runs {@code lvsha SUBCOMMAND ...} in a fresh JVM, for processes placed in
 * lab namespaces (real servers now, directors and drill clients later). Each such process carries
 * {@code -Dlvsha.lab=PREFIX}, which is how teardown and tests recognise a lab's processes.
 */
public final class LvshaJvm {
    /** System property naming the lab a process belongs to. */
    public static final String LAB_PROPERTY = "lvsha.lab";
    /** Small and quick to start: a lab runs one JVM per real server on a shared machine. */
    public static final List<String> SMALL_JVM = List.of("-Xms8m", "-Xmx64m", "-Xss512k", "-XX:TieredStopAtLevel=1",
            "-XX:+UseSerialGC", "-XX:CICompilerCount=1", "-XX:ReservedCodeCacheSize=16m", "-Xshare:auto");

    private final String java;
    private final String classpath;

    private LvshaJvm(String java, String classpath) {
        this.java = java;
        this.classpath = classpath;
    }

    /** The java binary and classpath of this very process (see {@link #currentClasspath()}). */
    public static LvshaJvm current() {
        String java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        return new LvshaJvm(java, currentClasspath());
    }

    public static LvshaJvm of(String java, String classpath) {
        return new LvshaJvm(java, classpath);
    }

    /**
     * {@code lvsha.home/lib/*} when started by {@code bin/lvsha} (the launcher sets lvsha.home);
     * otherwise this JVM's own class path, which is what a test run or an IDE has.
     */
    public static String currentClasspath() {
        String home = System.getProperty("lvsha.home");
        if (home != null && Files.isDirectory(Path.of(home, "lib"))) {
            return Path.of(home, "lib").toString() + File.separator + "*";
        }
        return System.getProperty("java.class.path");
    }

    /**
     * {@code setsid JAVA <small jvm> -Dlvsha.lab=PREFIX -cp CP org.lvsha.dist.Lvsha ARGS...}.
     * setsid detaches the process from the caller's terminal session so that {@code lab up} can
     * exit (or be interrupted) and leave the lab running until {@code lab down}; it execs in
     * place, so the PID the caller sees is the JVM's.
     */
    public List<String> command(String labPrefix, List<String> jvmOptions, List<String> args) {
        List<String> cmd = new ArrayList<>();
        cmd.add("setsid");
        cmd.add(java);
        cmd.addAll(jvmOptions);
        cmd.add("-Djava.net.preferIPv4Stack=false");
        cmd.add("-D" + LAB_PROPERTY + "=" + labPrefix);
        cmd.add("-cp");
        cmd.add(classpath);
        cmd.add("org.lvsha.dist.Lvsha");
        cmd.addAll(args);
        return cmd;
    }

    /** The marker in a lab process's command line, for {@code pgrep -f} and PID checks. */
    public static String labMarker(String labPrefix) {
        return "-D" + LAB_PROPERTY + "=" + labPrefix + " ";
    }
}
