/**
 * The director's configuration file: {@link org.lvsha.dist.config.DaemonConfig} (what {@code lvsha run} composes)
 * and {@link org.lvsha.dist.config.DaemonConfigLoader}, which validates the whole file before anything is bound
 * and reports every problem as {@code FILE:LINE:COLUMN: reason}. The schema is documented in
 * {@code dist/src/main/dist/conf/README.md}.
 */
package org.lvsha.dist.config;
