/**
 * Measurement helpers shared by the modules: {@link org.lvsha.core.metrics.LatencyHistogram}, the one histogram
 * behind health-check probe times and detection latency and replication lag.
 */
package org.lvsha.core.metrics;
