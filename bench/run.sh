#!/usr/bin/env bash
# Sluice benchmarks (issue 6): builds what they need, runs them, prints one markdown table.
#   bash bench/run.sh                 full mode (about a quarter of an hour; the published table)
#   bash bench/run.sh --smoke         tiny sizes, under a minute (only proves each benchmark works)
#   bash bench/run.sh --only ingest,delivery,economy,footprint,backlog   a subset
#   bash bench/run.sh --out FILE      also write the table to FILE
# SKIP_BUILD=1 skips the Maven build. Progress goes to stderr, the table to stdout.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
if [ "${SKIP_BUILD:-0}" != "1" ]; then
  mvn -B -ntp -q -pl benchmarks -am install -DskipTests >&2
fi
if [ -n "${JAVA_HOME:-}" ]; then java_cmd="$JAVA_HOME/bin/java"; else java_cmd="java"; fi
exec "$java_cmd" -Dsluice.log.level=WARN \
  -Dsluice.bench.plugins="$root/benchmarks/target/plugins" \
  -Dsluice.distribution="$root/host-runner/target/sluice" \
  -cp "$root/benchmarks/target/classes:$(cat "$root/benchmarks/target/classpath.txt")" \
  dev.sluice.bench.BenchmarkSuite "$@"
