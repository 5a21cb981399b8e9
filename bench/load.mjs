// Load against the Node server (`startStandalone`, as operators run it) with a healthy and a
// slow provider, at a fixed number of keep-alive client connections for a fixed time. Reports
// answers/s and 200/s, p50/p99 latency, answers by status (503 = shed), provider sends counted
// by the simulator after the load ended (work nobody waits for any more), and the server's RSS.
//
// Bounded and loopback only: every loop stops on a deadline and a request cap, the drain wait
// has a ceiling, and the server child ends with this process. Run with `pnpm bench:load`
// (builds first). Knobs: BENCH_DURATION_MS (5000), BENCH_CONNECTIONS ("64,640"),
// BENCH_SLOW_MS (1000), BENCH_KEYS ("1": every request has its own Idempotency-Key),
// BENCH_CONFIG_EXTRA (JSON merged into the server's config file, e.g. '{"delivery":{…}}').
import { randomBytes } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { startWhatsAppSimulator } from "@replykit/provider-simulator";
import {
  benchServerConfig,
  driveClosedLoop,
  fmt,
  forkChild,
  percentile,
  sendButtonsRequest,
} from "./lib.mjs";

const DURATION_MS = Number(process.env.BENCH_DURATION_MS ?? 5_000);
const CONNECTIONS = (process.env.BENCH_CONNECTIONS ?? "64,640").split(",").map(Number);
const SLOW_MS = Number(process.env.BENCH_SLOW_MS ?? 1_000);
const KEYED = (process.env.BENCH_KEYS ?? "1") !== "0";
const CONFIG_EXTRA = JSON.parse(process.env.BENCH_CONFIG_EXTRA ?? "{}");
/** Per scenario, whatever the server's speed: a ceiling on requests issued. */
const MAX_REQUESTS = 500_000;
/** How long to watch the provider for sends that come after the load ended. */
const DRAIN_CEILING_MS = 45_000;
/** Sends stopped once the count has not moved for this long. */
const DRAIN_QUIET_MS = 2_000;

for (const value of [DURATION_MS, SLOW_MS, ...CONNECTIONS]) {
  if (!Number.isInteger(value) || value <= 0 || value > 100_000) {
    throw new Error(`bench knobs must be positive integers up to 100000, got ${value}`);
  }
}

const apiKey = `rk_bench_${randomBytes(16).toString("hex")}`;

// Both providers are WhatsApp Cloud simulators in this process; only their latency differs.
// maxRecorded 1: the bench reads counts(), and the records would otherwise grow without bound.
const healthy = await startWhatsAppSimulator({ maxRecorded: 1 });
const slow = await startWhatsAppSimulator({ maxRecorded: 1, latencyMs: SLOW_MS });
const providers = { healthy, slow };

const entry = (id, simulator) => ({
  connectionId: id,
  conversationId: id,
  baseUrl: simulator.baseUrl,
  ...simulator.credentials,
});
const config = {
  ...benchServerConfig(apiKey, [entry("healthy", healthy), entry("slow", slow)]),
  ...CONFIG_EXTRA,
};
const directory = await mkdtemp(join(tmpdir(), "replykit-bench-"));
const configPath = join(directory, "config.json");
await writeFile(configPath, JSON.stringify(config, null, 2));

const SERVER = fileURLToPath(new URL("./load-server.mjs", import.meta.url));

const sendButtons = (conversationId) => (sequence) =>
  sendButtonsRequest(apiKey, conversationId, sequence, {
    ...(KEYED ? { idempotencyKey: `load-${sequence}` } : {}),
  });
const drive = (url, conversationId, connections, durationMs) =>
  driveClosedLoop({
    url,
    connections,
    durationMs,
    maxRequests: MAX_REQUESTS,
    request: sendButtons(conversationId),
  });

/** Provider sends after the load ended: watched until quiet for DRAIN_QUIET_MS, at most DRAIN_CEILING_MS. */
async function drained(simulator, atEnd) {
  const endedAt = performance.now();
  let last = simulator.counts().processed;
  let lastChange = endedAt;
  while (performance.now() - endedAt < DRAIN_CEILING_MS) {
    await sleep(250);
    const now = simulator.counts().processed;
    if (now !== last) {
      last = now;
      lastChange = performance.now();
    } else if (performance.now() - lastChange >= DRAIN_QUIET_MS) {
      return { after: last - atEnd, drainMs: lastChange - endedAt, settled: true };
    }
  }
  return { after: last - atEnd, drainMs: performance.now() - endedAt, settled: false };
}

// Printed with the results: figures taken on a busy machine say so.
const loadBefore = loadavg()[0];
const results = [];
let server;
try {
  server = await forkChild(SERVER, { env: { ...process.env, REPLYKIT_CONFIG: configPath } });
  const { url } = server;
  const rssMiB = async () => (await server.ask("memory")).rss / 1_048_576;
  // Warm-up, not reported: connections, JIT, the server's pools.
  await drive(url, "healthy", 8, 1_000);
  await drained(healthy, healthy.counts().processed);

  for (const name of ["healthy", "slow"]) {
    for (const connections of CONNECTIONS) {
      const simulator = providers[name];
      simulator.clear();
      const rssBefore = await rssMiB();
      const startedAt = performance.now();
      const run = await drive(url, name, connections, DURATION_MS);
      const sendsAtEnd = simulator.counts().processed;
      const drain = await drained(simulator, sendsAtEnd);
      const rssAfter = await rssMiB();
      results.push({
        name,
        connections,
        ...run,
        sent: run.latencies.get(200) ?? [],
        shed: run.latencies.get(503) ?? [],
        sendsAtEnd,
        ...drain,
        rssBefore,
        rssAfter,
      });
      console.error(
        `  done: ${name} provider, ${connections} connections (drain watched ${fmt((performance.now() - startedAt) / 1000 - run.elapsedMs / 1000, 1)} s)`,
      );
    }
  }
} finally {
  const closing = performance.now();
  await server?.close();
  await healthy.close();
  await slow.close();
  await rm(directory, { recursive: true, force: true });
  console.error(`  server closed in ${fmt((performance.now() - closing) / 1000, 1)} s`);
}

const reqPerSecond = (result) => (result.answered / result.elapsedMs) * 1_000;
const sentPerSecond = (result) => (result.sent.length / result.elapsedMs) * 1_000;
console.log(
  `${DURATION_MS / 1000} s per run, keep-alive connections each with one request at a time (undici Pool), ` +
    `${KEYED ? "every request with its own Idempotency-Key" : "no Idempotency-Key"}; ` +
    `providers: loopback WhatsApp simulator, healthy (0 ms) and slow (${SLOW_MS} ms); ` +
    `server: startStandalone in a child process, default configuration${Object.keys(CONFIG_EXTRA).length > 0 ? ` + ${JSON.stringify(CONFIG_EXTRA)}` : ""}`,
);
console.log(
  `machine: ${availableParallelism()} CPUs, 1-min load average ${fmt(loadBefore, 2)} before and ${fmt(loadavg()[0], 2)} after (this bench's own processes included)`,
);
const header = [
  "provider",
  "conns",
  "answers/s",
  "200/s",
  "p50 200 ms",
  "p99 200 ms",
  "p99 503 ms",
  "200",
  "503 shed",
  "other",
  "cut at end",
  "client err",
  "sends",
  "sends after end",
  "drain s",
  "RSS MiB before → after",
];
const rows = results.map((result) => {
  const ok = result.statuses.get(200) ?? 0;
  const shed = result.statuses.get(503) ?? 0;
  const other = [...result.statuses]
    .filter(([status]) => status !== 200 && status !== 503)
    .map(([status, count]) => `${status}×${count}`)
    .join(" ");
  return [
    result.name,
    String(result.connections),
    fmt(reqPerSecond(result)),
    fmt(sentPerSecond(result)),
    fmt(percentile(result.sent, 50), 1),
    fmt(percentile(result.sent, 99), 1),
    fmt(percentile(result.shed, 99), 1),
    String(ok),
    String(shed),
    other === "" ? "0" : other,
    String(result.cutAtEnd),
    String(result.clientErrors),
    String(result.sendsAtEnd),
    `${result.after}${result.settled ? "" : " (still going)"}`,
    fmt(result.drainMs / 1000, 1),
    `${fmt(result.rssBefore)} → ${fmt(result.rssAfter)}`,
  ];
});
const widths = header.map((title, column) =>
  Math.max(title.length, ...rows.map((row) => row[column].length)),
);
const line = (cells) => cells.map((cell, column) => cell.padStart(widths[column])).join("  ");
console.log(line(header));
for (const row of rows) console.log(line(row));

// Same-run ratios: the slow provider against the healthy one at the same connections, and
// each provider at its largest connection count against its smallest.
const find = (name, connections) =>
  results.find((r) => r.name === name && r.connections === connections);
console.log("\nratios (same run)");
for (const connections of CONNECTIONS) {
  const fast = find("healthy", connections);
  const slowRun = find("slow", connections);
  if (fast && slowRun) {
    console.log(
      `  slow / healthy at ${connections} connections: 200/s ×${fmt(sentPerSecond(slowRun) / sentPerSecond(fast), 3)}, ` +
        `answers/s ×${fmt(reqPerSecond(slowRun) / reqPerSecond(fast), 3)}`,
    );
  }
}
const fewest = Math.min(...CONNECTIONS);
const most = Math.max(...CONNECTIONS);
if (fewest !== most) {
  for (const name of ["healthy", "slow"]) {
    const low = find(name, fewest);
    const high = find(name, most);
    console.log(
      `  ${name}: ${most} / ${fewest} connections: answers/s ×${fmt(reqPerSecond(high) / reqPerSecond(low), 2)}, ` +
        `200/s ×${fmt(sentPerSecond(high) / sentPerSecond(low), 2)}, ` +
        `p99 of 200s ×${fmt(percentile(high.sent, 99) / percentile(low.sent, 99), 2)}`,
    );
  }
}
