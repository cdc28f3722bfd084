// Drives the real @jitsu/sdk-js client (Node build) against a Sluice host, for the end-to-end tests.
//
//   node send.mjs --host http://127.0.0.1:8001 --key SERVER_SECRET --mode flat|compat --run RUN_ID \
//                 --calls '[{"call":"id","props":{...}},{"call":"track","type":"purchase","payload":{...}}]' \
//                 [--attempts N]
//
// In Node the SDK posts to ${tracking_host}/api/v1/s2s/event?token=${key}, so the key is a server
// secret. With max_send_attempts > 1 (the SDK's default is 4) it queues calls and POSTs arrays; with 1
// it POSTs each event at once. The SDK's Node transport never rejects: it logs and swallows failed
// requests. So this script hands the SDK a fetch that records every request and answer, waits until
// every call's event was posted and answered, prints one JSON line
//   {"run":..., "mode":..., "requests":[{"status":200,"events":[...]}], "events":[...]}
// and exits 1 when any request failed or did not finish in time.

import { jitsuClient } from "@jitsu/sdk-js";

function parseArgs(argv) {
  const args = {};
  for (let i = 0; i < argv.length; i += 2) {
    if (!argv[i].startsWith("--") || i + 1 >= argv.length) {
      throw new Error(`bad argument '${argv[i]}': expected --name value pairs`);
    }
    args[argv[i].slice(2)] = argv[i + 1];
  }
  for (const required of ["host", "key", "mode", "run", "calls"]) {
    if (!args[required]) {
      throw new Error(`missing --${required}`);
    }
  }
  if (!["flat", "compat"].includes(args.mode)) {
    throw new Error(`--mode must be flat or compat, not '${args.mode}'`);
  }
  return args;
}

const args = parseArgs(process.argv.slice(2));
const calls = JSON.parse(args.calls);
const timeoutMs = Number(args.timeout_ms || 20000);

const requests = [];
let inFlight = 0;
const recordingFetch = async (url, init) => {
  inFlight++;
  const body = JSON.parse(init.body);
  const record = { status: -1, events: Array.isArray(body) ? body : [body] };
  requests.push(record);
  try {
    const response = await fetch(url, init);
    record.status = response.status;
    return response;
  } catch (e) {
    record.error = String(e && e.message ? e.message : e);
    throw e;
  } finally {
    inFlight--;
  }
};

const options = {
  key: args.key,
  tracking_host: args.host,
  compat_mode: args.mode === "compat",
  fetch: recordingFetch,
  // The SDK's own logging prints request URLs, which carry the key.
  log_level: "NONE",
};
if (args.attempts) {
  options.max_send_attempts = Number(args.attempts);
}
const client = jitsuClient(options);

for (const c of calls) {
  if (c.call === "id") {
    await client.id(c.props);
  } else if (c.call === "track") {
    await client.track(c.type, c.payload || {});
  } else {
    throw new Error(`unknown call '${c.call}' (id or track)`);
  }
}

// In queue mode the calls return before anything is sent: wait until every event was posted and answered.
const deadline = Date.now() + timeoutMs;
const posted = () => requests.reduce((n, r) => n + r.events.length, 0);
while ((posted() < calls.length || inFlight > 0) && Date.now() < deadline) {
  await new Promise((resolve) => setTimeout(resolve, 25));
}

const failed = requests.filter((r) => r.status !== 200);
const complete = posted() >= calls.length && inFlight === 0;
console.log(JSON.stringify({
  run: args.run,
  mode: args.mode,
  requests: requests.map((r) => ({ status: r.status, error: r.error, events: r.events.length })),
  // Every event carries the key as api_key: mask it in what we print.
  events: requests.flatMap((r) => r.events).map((e) => ({ ...e, api_key: e.api_key ? "***" : e.api_key })),
}));
if (!complete) {
  console.error(`only ${posted()} of ${calls.length} events were posted within ${timeoutMs} ms`);
  process.exit(1);
}
if (failed.length > 0) {
  console.error(`${failed.length} request(s) failed: ${failed.map((r) => r.status + (r.error ? " " + r.error : "")).join(", ")}`);
  process.exit(1);
}
process.exit(0);
