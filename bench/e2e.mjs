// End to end: replykit's Node server (`startStandalone`, bench/load-server.mjs) against a floor
// written by hand (bench/floor-server.mjs: raw node:http + JSON + SHA-256 + an undici Pool
// doing the same forward), both sending to the same loopback Graph fake (bench/graph-fake.mjs,
// which answers at once), each in its own process. The same client load drives both: an undici
// Pool of BENCH_CONNECTIONS keep-alive connections, one request at a time each, no
// Idempotency-Key, for BENCH_DURATION_MS per round after a warm-up, in alternating rounds
// (replykit, floor, replykit, floor, …). Reports per server the medians over its rounds of
// requests/s, p50/p99 and the server process's CPU µs per request (`process.cpuUsage()` over
// IPC), then replykit / floor.
// Then the latency at equal load: in a closed loop, a server half as fast shows twice the
// latency whatever its own per-request cost, so p99 is also measured in an open loop, both
// servers offered the same fixed rate (BENCH_RATE, by default half of replykit's closed-loop
// throughput, which both sustain), alternating rounds of BENCH_RATE_DURATION_MS, each latency
// counted from when its request was due. That p99 difference is what replykit adds to a request.
//
// Bounded and loopback only: every load stops on a deadline and a request cap, and the
// children end with this process. Run with `pnpm bench` (the whole suite) or
// `pnpm build && node bench/e2e.mjs`. Knobs: BENCH_DURATION_MS (5000), BENCH_WARMUP_MS (1500),
// BENCH_CONNECTIONS (32), BENCH_ROUNDS (3), BENCH_RATE (req/s; default above),
// BENCH_RATE_DURATION_MS (3000).
import { randomBytes } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  benchServerConfig,
  driveClosedLoop,
  driveOpenLoop,
  fmt,
  forkChild,
  machine,
  median,
  percentile,
  printTable,
  SEND_BUTTONS_PATH,
  sendButtonsRequest,
} from "./lib.mjs";

const DURATION_MS = Number(process.env.BENCH_DURATION_MS ?? 5_000);
const WARMUP_MS = Number(process.env.BENCH_WARMUP_MS ?? 1_500);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const RATE = process.env.BENCH_RATE === undefined ? undefined : Number(process.env.BENCH_RATE);
const RATE_DURATION_MS = Number(process.env.BENCH_RATE_DURATION_MS ?? 3_000);
/** Open loop: sockets enough that none waits for one, and a bound on what is outstanding. */
const OPEN_LOOP_CONNECTIONS = 64;
const OPEN_LOOP_MAX_IN_FLIGHT = 512;
/** Per round, whatever the server's speed: a ceiling on requests issued. */
const MAX_REQUESTS = 500_000;
for (const value of [DURATION_MS, WARMUP_MS, CONNECTIONS, ROUNDS, RATE_DURATION_MS, RATE ?? 1]) {
  if (!Number.isInteger(value) || value <= 0 || value > 100_000) {
    throw new Error(`bench knobs must be positive integers up to 100000, got ${value}`);
  }
}
if (ROUNDS > 10) throw new Error("BENCH_ROUNDS is at most 10");

const apiKey = `rk_bench_${randomBytes(16).toString("hex")}`;
const here = (file) => fileURLToPath(new URL(file, import.meta.url));

const machineBefore = machine();
const fake = await forkChild(here("./graph-fake.mjs"), { args: ["--child"] });
const config = benchServerConfig(apiKey, [
  {
    connectionId: "graph",
    conversationId: "conv-bench",
    baseUrl: fake.url,
    accessToken: "bench-graph-token",
    phoneNumberId: "100000000000001",
  },
]);
const directory = await mkdtemp(join(tmpdir(), "replykit-bench-e2e-"));
const configPath = join(directory, "config.json");
await writeFile(configPath, JSON.stringify(config, null, 2));

const sendButtons = (sequence) =>
  sendButtonsRequest(apiKey, "conv-bench", sequence, { headerText: "Order #42" });
const drive = (url, durationMs) =>
  driveClosedLoop({
    url,
    connections: CONNECTIONS,
    durationMs,
    maxRequests: MAX_REQUESTS,
    request: sendButtons,
  });

const servers = [
  { name: "replykit (startStandalone)", script: here("./load-server.mjs"), runs: [] },
  { name: "floor (node:http + undici)", script: here("./floor-server.mjs"), runs: [] },
];
try {
  for (const server of servers) {
    server.child = await forkChild(server.script, {
      env: { ...process.env, REPLYKIT_CONFIG: configPath },
    });
  }
  for (const server of servers) await drive(server.child.url, WARMUP_MS); // JIT, sockets
  for (let round = 0; round < ROUNDS; round += 1) {
    for (const server of servers) {
      const before = await server.child.ask("cpu");
      const run = await drive(server.child.url, DURATION_MS);
      const after = await server.child.ask("cpu");
      const cpuMicros = after.user + after.system - (before.user + before.system);
      server.runs.push({
        ...run,
        ok: run.latencies.get(200) ?? [],
        cpuPerRequest: cpuMicros / Math.max(1, run.answered),
      });
    }
  }
  const closedLoopRate = median(
    servers[0].runs.map((run) => (run.ok.length / run.elapsedMs) * 1000),
  );
  const rate = RATE ?? Math.max(100, Math.floor(closedLoopRate / 2 / 100) * 100);
  for (let round = 0; round < ROUNDS; round += 1) {
    for (const server of servers) {
      server.openRuns ??= [];
      server.openRuns.push(
        await driveOpenLoop({
          url: server.child.url,
          ratePerSecond: rate,
          durationMs: RATE_DURATION_MS,
          connections: OPEN_LOOP_CONNECTIONS,
          maxInFlight: OPEN_LOOP_MAX_IN_FLIGHT,
          request: sendButtons,
        }),
      );
    }
  }
  servers.rate = rate;
} finally {
  for (const server of servers) await server.child?.close();
  await fake.close();
  await rm(directory, { recursive: true, force: true });
}

const summary = servers.map((server) => {
  const other = [
    ...new Set(
      server.runs.flatMap((run) =>
        [...run.statuses.keys()].filter((status) => status !== 200).map(String),
      ),
    ),
  ];
  return {
    name: server.name,
    reqPerSecond: median(server.runs.map((run) => (run.ok.length / run.elapsedMs) * 1000)),
    p50: median(server.runs.map((run) => percentile(run.ok, 50))),
    p99: median(server.runs.map((run) => percentile(run.ok, 99))),
    cpu: median(server.runs.map((run) => run.cpuPerRequest)),
    notOk: server.runs.reduce((sum, run) => sum + run.answered - run.ok.length, 0),
    clientErrors: server.runs.reduce((sum, run) => sum + run.clientErrors, 0),
    other,
    open: {
      p50: median(server.openRuns.map((run) => percentile(run.ok, 50))),
      p99: median(server.openRuns.map((run) => percentile(run.ok, 99))),
      notOk: server.openRuns.reduce(
        (sum, run) => sum + run.other + run.dropped + run.clientErrors,
        0,
      ),
    },
  };
});
console.log(
  `e2e: POST ${SEND_BUTTONS_PATH} → loopback Graph fake; ${CONNECTIONS} keep-alive connections, ` +
    `${ROUNDS} alternating rounds of ${DURATION_MS / 1000} s per server after ${WARMUP_MS / 1000} s of warm-up; medians`,
);
console.log(`machine: ${machineBefore} before, ${machine().split(", ").at(-1)} after`);
printTable([
  ["server", "200/s", "p50 ms", "p99 ms", "CPU µs/req", "non-200", "client errors"],
  ...summary.map((row) => [
    row.name,
    fmt(row.reqPerSecond),
    fmt(row.p50, 1),
    fmt(row.p99, 1),
    fmt(row.cpu),
    `${row.notOk}${row.other.length > 0 ? ` (${row.other.join(", ")})` : ""}`,
    String(row.clientErrors),
  ]),
]);
const [replykit, floor] = summary;
console.log(
  `replykit / floor: throughput ×${fmt(replykit.reqPerSecond / floor.reqPerSecond, 2)}, ` +
    `CPU per request ×${fmt(replykit.cpu / floor.cpu, 1)}, ` +
    `p99 ${fmt(replykit.p99 - floor.p99, 1)} ms more, p50 ${fmt(replykit.p50 - floor.p50, 1)} ms more ` +
    "(goal: throughput ≥ ×0.5)",
);
console.log(
  `at equal load (open loop, ${fmt(servers.rate)} req/s offered to each, ${ROUNDS} alternating rounds of ${RATE_DURATION_MS / 1000} s, latency from when each request was due; medians):`,
);
printTable([
  ["server", "p50 ms", "p99 ms", "not 200 / dropped / errors"],
  ...summary.map((row) => [
    row.name,
    fmt(row.open.p50, 2),
    fmt(row.open.p99, 2),
    String(row.open.notOk),
  ]),
]);
console.log(
  `replykit adds at equal load: p99 +${fmt(replykit.open.p99 - floor.open.p99, 2)} ms, ` +
    `p50 +${fmt(replykit.open.p50 - floor.open.p50, 2)} ms (goal: p99 within +2 ms)`,
);
