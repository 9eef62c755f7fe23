#!/bin/sh
# Runs org.lvsha.health.bench.HealthBench from the source tree (no install): compiles health and
# ha-core, writes the dependency classpath, raises the open-file limit as far as allowed (each process
# needs one descriptor per listener or in-flight check, plus a margin) and passes every argument on.
#   health/bench/health-bench.sh --servers 10000 --duration 30s --fail 200
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
# offline first; online only when the dependency plugin itself is not cached yet
build="compile dependency:build-classpath -pl health -am -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=runtime"
mvn -B -ntp -o -q $build >/dev/null 2>&1 || mvn -B -ntp -q $build >/dev/null
cp="$root/health/target/classes:$root/ha-core/target/classes:$(cat "$root/health/target/bench.classpath")"
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
exec java -Xmx1g -XX:+UseParallelGC -Dlogback.configurationFile="$root/health/bench/logback-bench.xml" -cp "$cp" org.lvsha.health.bench.HealthBench "$@"
