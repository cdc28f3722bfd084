#!/usr/bin/env bash
# Sluice benchmarks (issue 6): builds what they need, runs them, prints one markdown table.
#   bash bench/run.sh                 full mode (about a quarter of an hour; the published table)
#   bash bench/run.sh --smoke         tiny sizes, under a minute (only proves each benchmark works)
#   bash bench/run.sh --only ingest,delivery,economy,footprint,backlog,kafka   a subset
#     (kafka: ingest with server.queue kafka vs sqlite, and contacts/s through the Kafka Connect
#      sink with 1 and 2 tasks; a real broker and worker from Kafka's test kit, about 2 minutes)
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

# The kafka section runs in its own JVM (Kafka's test kit), after the suite; split it off the args.
suite_args=()
kafka_args=()
run_suite=1
run_kafka=1
out=""
while [ $# -gt 0 ]; do
  case "$1" in
    --only)
      sections=",$2,"
      if [[ "$sections" != *,kafka,* ]]; then run_kafka=0; fi
      rest="$(echo "$2" | tr ',' '\n' | { grep -vx kafka || true; } | paste -sd, -)"
      if [ -z "$rest" ]; then run_suite=0; else suite_args+=(--only "$rest"); fi
      shift 2 ;;
    --out) out="$2"; suite_args+=(--out "$2"); shift 2 ;;
    --smoke) suite_args+=(--smoke); kafka_args+=(--smoke); shift ;;
    *) suite_args+=("$1"); shift ;;
  esac
done
if [ "$run_suite" = 1 ]; then
  "$java_cmd" -Dsluice.log.level=WARN \
    -Dsluice.bench.plugins="$run_dir/plugins" \
    -Dsluice.distribution="$run_dir/sluice" \
    -Dsluice.bench.scenarios="${BENCH_SCENARIOS:-}" \
    -cp "$run_dir/classes:$run_dir/lib/*" \
    dev.sluice.bench.BenchmarkSuite "${suite_args[@]}"
fi
if [ "$run_kafka" = 1 ]; then
  kc="$root/kafka-connect/target"
  if [ "${SKIP_BUILD:-0}" != "1" ]; then
    mvn -B -ntp -q -pl kafka-connect -am package dependency:build-classpath -DskipTests \
      -Dmdep.includeScope=test -Dmdep.outputFile=target/test.classpath >&2
  fi
  echo "[bench] kafka ..." >&2
  table="$("$java_cmd" -Dsluice.test.log="$kc/kafka-bench.log" -Dsluice.destinations.dir="$kc/destinations" \
    -cp "$kc/test-classes:$kc/classes:$(cat "$kc/test.classpath")" dev.sluice.connect.bench.KafkaBenchmark "${kafka_args[@]}" | grep '^|')"
  echo
  echo "Kafka shape (kafka-connect, log: $kc/kafka-bench.log):"
  echo "$table"
  if [ -n "$out" ]; then printf '\nKafka shape:\n%s\n' "$table" >>"$out"; fi
fi
