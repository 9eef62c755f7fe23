/**
 * Generic configuration loading: {@link org.lvsha.core.config.LocatedYaml} parses a YAML file into a Jackson tree
 * together with the line and column of every node, so that validation can run on the whole tree first and report
 * every problem as {@code FILE:LINE:COLUMN: reason} ({@link org.lvsha.core.config.ConfigProblems}) before anything
 * is bound or started.
 */
package org.lvsha.core.config;
