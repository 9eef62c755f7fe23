package org.lvsha.dist.lab;

/** A process the lab started in one of its namespaces, as recorded in the state file. */
public record LabProcess(String name, String namespace, long pid, String log) {
}
