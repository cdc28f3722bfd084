#!/usr/bin/env bash
# The Kafka Connect shape on one machine, without Docker: a single-node KRaft broker and a
# distributed Kafka Connect worker run from the Kafka jars on Maven Central, the Sluice sink
# connector installed through plugin.path, a HubSpot connector registered against the local
# HubSpot emulator, and a Sluice host with server.queue: kafka in front. Ctrl-C stops them all.
#
#   scripts/kafka-local.sh
#
# Ports (all on 127.0.0.1): Sluice 8001, the emulator 8090, Kafka 9092 (controller 9093),
# Kafka Connect's REST API 8083; each can be changed with the variable of that name below
# (e.g. SLUICE_PORT=8002 scripts/kafka-local.sh). Logs and data: target/kafka-local/ (removed and made afresh
# on every start). See docs/scale-out.md.
set -euo pipefail
cd "$(dirname "$0")/.."
root="$(pwd)"
SLUICE_PORT="${SLUICE_PORT:-8001}"
EMULATOR_PORT="${EMULATOR_PORT:-8090}"
KAFKA_PORT="${KAFKA_PORT:-9092}"
CONTROLLER_PORT="${CONTROLLER_PORT:-9093}"
CONNECT_PORT="${CONNECT_PORT:-8083}"
TOPIC=sluice.local_hubspot
TOKEN=local-emulator-token
work="$root/target/kafka-local"
dist="$root/distribution/target/sluice"
plugin_path="$root/kafka-connect/target/plugin-path"
emulator_jar() { ls "$root"/hubspot-emulator/target/hubspot-emulator-*-all.jar 2>/dev/null | head -n 1; }

port_holder() { # prints what listens on this TCP port; fails when nothing does
  if command -v ss >/dev/null 2>&1; then
    local listening
    listening="$(ss -Hltnp "sport = :$1" 2>/dev/null | awk '{print $4, $6}' | head -n 1)"
    [ -n "$listening" ] && echo "$listening"
  elif (: <"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then
    echo "something answering on 127.0.0.1:$1"
  else
    return 1
  fi
}
taken=0
for entry in "$SLUICE_PORT:Sluice" "$EMULATOR_PORT:the HubSpot emulator" "$KAFKA_PORT:Kafka" \
    "$CONTROLLER_PORT:Kafka's controller" "$CONNECT_PORT:Kafka Connect"; do
  port="${entry%%:*}"
  if holder="$(port_holder "$port")"; then
    echo "Port $port (for ${entry#*:}) is already in use: $holder" >&2
    taken=1
  fi
done
if [ "$taken" = 1 ]; then
  echo "Stop what holds it (another scripts/kafka-local.sh or ./run-local.sh?) and run this again." >&2
  exit 1
fi

if [ ! -x "$dist/bin/sluice" ] || [ -z "$(emulator_jar)" ] || [ ! -d "$plugin_path/sluice-kafka-connect" ]; then
  command -v npm >/dev/null || { echo "Building Sluice needs npm (Node.js 20): the build bundles the Jitsu browser client" >&2; exit 1; }
  echo "Building Sluice, the emulator and the connector (mvn package, tests skipped) ..."
  mvn -B -ntp -q -DskipTests -pl distribution,hubspot-emulator,kafka-connect -am package
fi
rm -rf "$work"
mkdir -p "$work"
echo "Resolving the Kafka $(sed -n 's:.*<kafka.version>\(.*\)</kafka.version>.*:\1:p' pom.xml) jars from Maven Central ..."
mvn -B -ntp -q -f scripts/kafka-local/pom.xml dependency:build-classpath -Dmdep.outputFile="$work/kafka.classpath"
kafka_cp="$(cat "$work/kafka.classpath")"

cat >"$work/log4j2.properties" <<'EOF'
rootLogger.level = INFO
rootLogger.appenderRef.out.ref = out
appender.out.type = Console
appender.out.name = out
appender.out.layout.type = PatternLayout
appender.out.layout.pattern = %d{HH:mm:ss.SSS} %-5p [%t] %c{1} - %m%n
logger.kafka.name = org.apache.kafka
logger.kafka.level = WARN
logger.kafkaserver.name = kafka
logger.kafkaserver.level = WARN
logger.started.name = kafka.server.KafkaRaftServer
logger.started.level = INFO
logger.worker.name = org.apache.kafka.connect.runtime.Worker
logger.worker.level = INFO
logger.sluice.name = dev.sluice
logger.sluice.level = INFO
EOF
java_opts=(-Xms128m -Xmx512m "-Dlog4j2.configurationFile=$work/log4j2.properties")

cat >"$work/server.properties" <<EOF
process.roles=broker,controller
node.id=1
controller.quorum.bootstrap.servers=127.0.0.1:$CONTROLLER_PORT
listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT,CONTROLLER://127.0.0.1:$CONTROLLER_PORT
advertised.listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT
controller.listener.names=CONTROLLER
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
log.dirs=$work/kafka-data
num.partitions=4
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
min.insync.replicas=1
group.initial.rebalance.delay.ms=0
EOF

cat >"$work/worker.properties" <<EOF
bootstrap.servers=127.0.0.1:$KAFKA_PORT
group.id=sluice-local
listeners=http://127.0.0.1:$CONNECT_PORT
config.storage.topic=connect-configs
offset.storage.topic=connect-offsets
status.storage.topic=connect-status
config.storage.replication.factor=1
offset.storage.replication.factor=1
status.storage.replication.factor=1
key.converter=org.apache.kafka.connect.storage.StringConverter
value.converter=org.apache.kafka.connect.storage.StringConverter
offset.flush.interval.ms=5000
plugin.path=$plugin_path
plugin.discovery=service_load
config.providers=file
config.providers.file.class=org.apache.kafka.common.config.provider.FileConfigProvider
EOF
printf 'hubspot_token=%s\n' "$TOKEN" >"$work/secrets.properties"
chmod 600 "$work/secrets.properties"

pids=()
cleanup() {
  trap - INT TERM EXIT
  echo
  echo "Stopping ..."
  # The host first (nothing more is acknowledged), the broker last.
  for ((i = ${#pids[@]} - 1; i >= 0; i--)); do
    kill -TERM "${pids[$i]}" 2>/dev/null || true
    wait "${pids[$i]}" 2>/dev/null || true
  done
  echo "Stopped. Logs: $work/{kafka,connect,emulator,sluice}.log"
}
trap cleanup INT TERM EXIT

wait_for() { # description, pid, log, command... (retried every 0.2 s for up to 60 s)
  local what="$1" pid="$2" log="$3"
  shift 3
  for _ in $(seq 1 300); do
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "$what exited; the end of its log ($log):" >&2
      tail -n 20 "$log" >&2
      return 1
    fi
    if "$@" >/dev/null 2>&1; then return 0; fi
    sleep 0.2
  done
  echo "$what was not ready within 60 s; see $log" >&2
  return 1
}

echo "Starting Kafka (KRaft, one node) on 127.0.0.1:$KAFKA_PORT ..."
cluster_id="$(java -cp "$kafka_cp" "${java_opts[@]}" kafka.tools.StorageTool random-uuid)"
java -cp "$kafka_cp" "${java_opts[@]}" kafka.tools.StorageTool format --cluster-id "$cluster_id" \
  --config "$work/server.properties" --standalone >"$work/kafka-format.log" 2>&1
java -cp "$kafka_cp" "${java_opts[@]}" kafka.Kafka "$work/server.properties" >"$work/kafka.log" 2>&1 &
pids+=($!)
# A broker whose port is taken logs the error and stays up: judge readiness from its log.
wait_for "Kafka" "${pids[-1]}" "$work/kafka.log" grep -q "Kafka Server started" "$work/kafka.log"

echo "Starting a distributed Kafka Connect worker (REST on 127.0.0.1:$CONNECT_PORT) with the Sluice connector ..."
java -cp "$kafka_cp" "${java_opts[@]}" org.apache.kafka.connect.cli.ConnectDistributed "$work/worker.properties" \
  >"$work/connect.log" 2>&1 &
pids+=($!)
wait_for "Kafka Connect" "${pids[-1]}" "$work/connect.log" \
  sh -c "curl -sf http://127.0.0.1:$CONNECT_PORT/connector-plugins | grep -q SluiceSinkConnector"

echo "Starting the HubSpot emulator on 127.0.0.1:$EMULATOR_PORT ..."
java -jar "$(emulator_jar)" --port "$EMULATOR_PORT" >"$work/emulator.log" 2>&1 &
pids+=($!)
wait_for "The HubSpot emulator" "${pids[-1]}" "$work/emulator.log" curl -sf "http://127.0.0.1:$EMULATOR_PORT/_emulator/health"

echo "Registering the connector 'local_hubspot' (topic $TOPIC, dead letters on $TOPIC.dlq) ..."
curl -sf -X PUT "http://127.0.0.1:$CONNECT_PORT/connectors/local_hubspot/config" -H 'Content-Type: application/json' -d '{
  "connector.class": "dev.sluice.connect.SluiceSinkConnector",
  "topics": "'"$TOPIC"'",
  "tasks.max": "2",
  "errors.tolerance": "all",
  "errors.deadletterqueue.topic.name": "'"$TOPIC"'.dlq",
  "errors.deadletterqueue.topic.replication.factor": "1",
  "sluice.destination.type": "hubspot",
  "access_token": "${file:'"$work"'/secrets.properties:hubspot_token}",
  "hub_id": "20546336",
  "base_url": "http://127.0.0.1:'"$EMULATOR_PORT"'"
}' >/dev/null

cat >"$work/sluice.yaml" <<EOF
server:
  port: $SLUICE_PORT
  bind: 127.0.0.1
  data_dir: data
  queue: kafka
  kafka:
    bootstrap_servers: 127.0.0.1:$KAFKA_PORT
    topic_prefix: sluice.
api_keys:
  - id: local
    client_secret: local-js-key
    server_secret: local-s2s-key
    origins: ["*"]
destinations:
  local_hubspot:            # its events go to the topic sluice.local_hubspot
    type: hubspot
    mode: stream
    config:                 # validated by the host; the connector's copy delivers
      access_token: $TOKEN
      hub_id: "20546336"
      base_url: http://127.0.0.1:$EMULATOR_PORT
EOF
echo "Starting Sluice (server.queue: kafka) on 127.0.0.1:$SLUICE_PORT ..."
"$dist/bin/sluice" run --config "$work/sluice.yaml" >"$work/sluice.log" 2>&1 &
pids+=($!)
wait_for "Sluice" "${pids[-1]}" "$work/sluice.log" curl -sf "http://127.0.0.1:$SLUICE_PORT/health"

cat <<EOM

Sluice on http://127.0.0.1:$SLUICE_PORT produces to Kafka (127.0.0.1:$KAFKA_PORT, topic $TOPIC);
the Sluice sink connector on Kafka Connect (http://127.0.0.1:$CONNECT_PORT) delivers to the HubSpot
emulator on http://127.0.0.1:$EMULATOR_PORT.
Send an identify event (200 once Kafka acknowledged it):
  curl -s -X POST 'http://127.0.0.1:$SLUICE_PORT/api/v1/s2s/event?token=local-s2s-key' \\
    -H 'Content-Type: application/json' \\
    -d '{"event_type":"user_identify","user":{"email":"ada@example.com","firstname":"Ada"}}'
See the contact HubSpot would have, and the connector:
  curl -s http://127.0.0.1:$EMULATOR_PORT/_emulator/contacts
  curl -s http://127.0.0.1:$CONNECT_PORT/connectors/local_hubspot/status
Logs: $work/{sluice,connect,kafka,emulator}.log.   Ctrl-C stops everything.
EOM
wait -n "${pids[@]}" || true
