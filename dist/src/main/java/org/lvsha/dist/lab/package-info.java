/**
 * The namespace lab of LAB.md and the {@code lvsha lab} commands.
 *
 * <ul>
 *   <li>{@link org.lvsha.dist.lab.Lab} says what to build (layout, real servers, IPv6) and
 *       {@link org.lvsha.dist.lab.AddressPlan} every address, MAC, VRID and port of the plan.</li>
 *   <li>{@link org.lvsha.dist.lab.TopologyBuilder#build} creates the namespaces, bridges and links
 *       on a {@link org.lvsha.core.lab.NetnsLab} and nothing else: enough for tests that run no real
 *       server ({@code try (NetnsLab n = NetnsLab.create()) { LabTopology t = TopologyBuilder.build(n, Lab.dr(2)); ... }}).</li>
 *   <li>{@link org.lvsha.dist.lab.RunningLab#start} also starts the built-in real servers and waits
 *       until each answers; {@link org.lvsha.dist.lab.RunningLab#spawn} starts any other
 *       {@code lvsha} subcommand (a director daemon, a drill client) in a lab host's namespace;
 *       {@code close()} removes everything.</li>
 *   <li>{@link org.lvsha.dist.lab.NamespaceHttp} and {@link org.lvsha.dist.lab.LabProbe} send
 *       requests from inside a namespace.</li>
 *   <li>{@link org.lvsha.dist.lab.LabRunDirectory}, {@link org.lvsha.dist.lab.LabTeardown} let
 *       {@code lab status|probe|down} work from another process than {@code lab up}.</li>
 * </ul>
 */
package org.lvsha.dist.lab;
