/**
 * {@code lvsha drill}: client traffic during a failover, what it measured, and the report.
 *
 * <ul>
 *   <li>Traffic: {@link org.lvsha.dist.drill.TrafficPlan} says what to send;
 *       {@link org.lvsha.dist.drill.TrafficGenerator} sends it on one Netty event loop and records
 *       every attempt and long-lived connection event in a {@link org.lvsha.dist.drill.TrafficLog}
 *       (primitive arrays, monotonic nanosecond stamps, a file form).</li>
 *   <li>Where it runs: a {@link org.lvsha.dist.drill.TrafficSource} —
 *       {@link org.lvsha.dist.drill.InProcessTraffic} in this JVM, or
 *       {@link org.lvsha.dist.drill.NamespaceTraffic}, which starts {@code lvsha drill traffic}
 *       ({@link org.lvsha.dist.drill.TrafficCommand}) in a lab namespace and meets it through files.</li>
 *   <li>The event: a {@link org.lvsha.dist.drill.Scenario} ({@code prepare/trigger/recover},
 *       an {@link org.lvsha.dist.drill.Expectation} to judge against, and
 *       {@link org.lvsha.dist.drill.DirectorObserver}s that feed VRRP transitions and sync lag into the
 *       run's {@link org.lvsha.dist.drill.Timeline}); {@link org.lvsha.dist.drill.ClientOnlyScenario}
 *       is the one for real deployments, where the operator acts.
 *       {@link org.lvsha.dist.drill.AddressMonitorObserver} sees where the VIP is from the kernel
 *       ({@code ip monitor address} in each director namespace); {@link org.lvsha.dist.drill.MasterDownInterval}
 *       gives a crash drill its bound (RFC 5798 §6.1).</li>
 *   <li>{@link org.lvsha.dist.drill.DrillRun} sequences traffic, scenario and observers
 *       ({@link org.lvsha.dist.drill.DrillSuite} several scenarios);
 *       {@link org.lvsha.dist.drill.DrillMeasurements} (pure) turns log and timeline into a
 *       {@link org.lvsha.dist.drill.DrillResult}; {@link org.lvsha.dist.drill.TextReport} and
 *       {@link org.lvsha.dist.drill.HtmlReport} show it, {@link org.lvsha.dist.drill.DrillResultJson}
 *       gives it to scripts, {@link org.lvsha.dist.drill.DrillReportFiles} writes all three.</li>
 *   <li>Lab mode ({@code --lab}): {@link org.lvsha.dist.drill.LabDrill} builds the lab and runs the scenarios;
 *       {@link org.lvsha.dist.drill.LabDirectorPair} is the pair of {@code lvsha run} daemons with their
 *       {@link org.lvsha.dist.drill.PairConfig} files; {@link org.lvsha.dist.drill.LabScenarios} the switchover,
 *       crash, link-down, partition and real-server scenarios; {@link org.lvsha.dist.drill.StatusFileObserver} reads
 *       the daemons' VRRP transitions from their status files.</li>
 * </ul>
 */
package org.lvsha.dist.drill;
