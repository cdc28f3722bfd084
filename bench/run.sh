#!/usr/bin/env bash
# Sluice benchmarks (issue 6): builds what they need, runs them, prints one markdown table.
#   bash bench/run.sh                 full mode (about a quarter of an hour; the published table)
#   bash bench/run.sh --smoke         tiny sizes, under a minute (only proves each benchmark works)
#   bash bench/run.sh --only ingest,delivery,economy,footprint,backlog   a subset
#   bash bench/run.sh --out FILE      also write the table to FILE
# SKIP_BUILD=1 skips the Maven build; BENCH_SCENARIOS=delivery.contacts,... runs only those
# delivery scenarios. Progress goes to stderr, the table to stdout.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
if [ "${SKIP_BUILD:-0}" != "1" ]; then
  mvn -B -ntp -q -pl benchmarks,distribution -am package -DskipTests >&2
fi
target="$root/benchmarks/target"
# Run from private copies: a long run must not see the host or plugin rebuilt under it.
run_dir="$target/run"
rm -rf "$run_dir"
mkdir -p "$run_dir"
cp -r "$target/classes" "$target/lib" "$target/plugins" "$run_dir/"
cp -r "$root/distribution/target/sluice" "$run_dir/sluice"
if [ -n "${JAVA_HOME:-}" ]; then java_cmd="$JAVA_HOME/bin/java"; else java_cmd="java"; fi
exec "$java_cmd" -Dsluice.log.level=WARN \
  -Dsluice.bench.plugins="$run_dir/plugins" \
  -Dsluice.distribution="$run_dir/sluice" \
  -Dsluice.bench.scenarios="${BENCH_SCENARIOS:-}" \
  -cp "$run_dir/classes:$run_dir/lib/*" \
  dev.sluice.bench.BenchmarkSuite "$@"
