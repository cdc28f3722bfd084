#!/usr/bin/env bash
# One command to try Sluice: builds what is missing, starts the local HubSpot emulator and the
# host pointed at it, prints a ready curl line and where to look. Ctrl-C stops both.
#
#   ./run-local.sh     (Sluice on 127.0.0.1:8001, the emulator on 127.0.0.1:8090)
set -euo pipefail
cd "$(dirname "$0")"
root="$(pwd)"

SLUICE_PORT=8001     # as in distribution/src/dist/config/local-emulator.yaml
EMULATOR_PORT=8090
dist="$root/distribution/target/sluice"
work="$root/target/local"

emulator_jar() { ls "$root"/hubspot-emulator/target/hubspot-emulator-*-all.jar 2>/dev/null | head -n 1; }

# Written when this script's build starts and kept once it succeeds. (The distribution's own
# files cannot tell: their times are copied from the sources, truncated to milliseconds.)
built="$work/build.stamp"

stale() { # true when a source or POM is newer than this script's last build (or there was none)
  [ ! -e "$built" ] ||
    [ -n "$(find "$root/pom.xml" "$root"/*/pom.xml "$root"/*/src "$root"/browser-client/npm/package*.json \
      -newer "$built" -type f -print -quit 2>/dev/null)" ]
}

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
for entry in "$EMULATOR_PORT:the HubSpot emulator" "$SLUICE_PORT:Sluice"; do
  port="${entry%%:*}"
  if holder="$(port_holder "$port")"; then
    echo "Port $port (for ${entry#*:}) is already in use: $holder" >&2
    taken=1
  fi
done
if [ "$taken" = 1 ]; then
  echo "Stop what holds it (another ./run-local.sh?) and run this again." >&2
  exit 1
fi

mkdir -p "$work"
if [ ! -x "$dist/bin/sluice" ] || [ -z "$(emulator_jar)" ] || stale; then
  command -v npm >/dev/null || { echo "Building Sluice needs npm (Node.js 20): the build bundles the Jitsu browser client (browser-client/npm)" >&2; exit 1; }
  echo "Building Sluice (mvn package, tests skipped; run the tests with: mvn -B -ntp verify) ..."
  touch "$built.new"
  mvn -B -ntp -q -DskipTests -pl distribution,hubspot-emulator -am package
  mv "$built.new" "$built"
fi

pids=()
cleanup() {
  trap - INT TERM EXIT
  echo
  echo "Stopping ..."
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  echo "Stopped. Logs: $work/emulator.log, $work/sluice.log"
}
trap cleanup INT TERM EXIT

wait_for() { # url, name, pid, log
  for _ in $(seq 1 150); do
    if ! kill -0 "$3" 2>/dev/null; then
      echo "$2 exited; the end of its log ($4):" >&2
      tail -n 20 "$4" >&2
      return 1
    fi
    if curl -s -o /dev/null "$1"; then return 0; fi
    sleep 0.2
  done
  echo "$2 did not answer on $1 within 30 s; see its log in $work" >&2
  return 1
}

java -jar "$(emulator_jar)" --port "$EMULATOR_PORT" >"$work/emulator.log" 2>&1 &
pids+=($!)
wait_for "http://127.0.0.1:$EMULATOR_PORT/_emulator/health" "The HubSpot emulator" "${pids[-1]}" "$work/emulator.log"

config="$dist/config/local-emulator.yaml"
"$dist/bin/sluice" run --config "$config" >"$work/sluice.log" 2>&1 &
pids+=($!)
wait_for "http://127.0.0.1:$SLUICE_PORT/api/v1/s2s/event" "Sluice" "${pids[-1]}" "$work/sluice.log"

cat <<EOM

Sluice is running on http://127.0.0.1:$SLUICE_PORT, delivering to the HubSpot emulator on http://127.0.0.1:$EMULATOR_PORT.

Send an identify event:
  curl -s -X POST 'http://127.0.0.1:$SLUICE_PORT/api/v1/s2s/event?token=local-s2s-key' \\
    -H 'Content-Type: application/json' \\
    -d '{"event_type":"user_identify","user":{"email":"ada@example.com","firstname":"Ada","lastname":"Lovelace"}}'

Send a custom event (HubSpot behavioral event pe20546336_purchase):
  curl -s -X POST 'http://127.0.0.1:$SLUICE_PORT/api/v1/s2s/event?token=local-s2s-key' \\
    -H 'Content-Type: application/json' \\
    -d '{"event_type":"purchase","user":{"email":"ada@example.com"},"conversion":{"revenue":42.5,"currency":"EUR"}}'

The Jitsu browser client for websites (<script src=".../s/lib.js" data-key="local-js-key">, see docs/websites.md):
  curl -I http://127.0.0.1:$SLUICE_PORT/s/lib.js

See what HubSpot received:
  curl -s http://127.0.0.1:$EMULATOR_PORT/_emulator/contacts
  curl -s http://127.0.0.1:$EMULATOR_PORT/_emulator/events
  curl -s http://127.0.0.1:$EMULATOR_PORT/_emulator/stats

Dead letters:  $dist/bin/sluice dead-letters list --config $config
Logs: $work/sluice.log and $work/emulator.log.   Ctrl-C stops both.
EOM

wait -n "${pids[@]}" || true
