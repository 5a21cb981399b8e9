// The store's cost: the same load against the Node server (`startStandalone`) on the in-memory
// store and on PostgreSQL, alternately in one run (memory, postgres, memory, postgres, …), each
// configuration in a fresh server child. Every request has its own Idempotency-Key, so each one
// costs the store a claim, a completion and a message-log write. Reports per run: requests/s,
// p50/p99 of the 200s, the server process's CPU time per request, and on PostgreSQL the CPU
// time of the database backends serving that server's pool; then the medians per
// configuration and PostgreSQL against memory (throughput, CPU per request, p99 added).
//
// Bounded and loopback only: every load stops on a deadline and a request cap, server children
// end with this process, and each PostgreSQL run uses a fresh random schema dropped at the
// end (`DROP SCHEMA … CASCADE`, through psql). Run with `pnpm bench:store` (builds first).
// Knobs: BENCH_DURATION_MS (5000), BENCH_WARMUP_MS (1000), BENCH_CONNECTIONS (32),
// BENCH_ROUNDS (2: each configuration twice), BENCH_PG_URL
// (postgres://postgres@127.0.0.1:5432/test), BENCH_PG_POOL (the server's default, 10).
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp, readdir, readFile, readlink, rm, writeFile } from "node:fs/promises";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { startWhatsAppSimulator } from "@replykit/provider-simulator";
import {
  benchServerConfig,
  driveClosedLoop,
  fmt,
  forkChild,
  median,
  percentile,
  sendButtonsRequest,
} from "./lib.mjs";

const DURATION_MS = Number(process.env.BENCH_DURATION_MS ?? 5_000);
const WARMUP_MS = Number(process.env.BENCH_WARMUP_MS ?? 1_000);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const PG_URL = process.env.BENCH_PG_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const PG_POOL =
  process.env.BENCH_PG_POOL === undefined ? undefined : Number(process.env.BENCH_PG_POOL);
/** Per load, whatever the server's speed: a ceiling on requests issued. */
const MAX_REQUESTS = 500_000;

for (const value of [DURATION_MS, WARMUP_MS, CONNECTIONS, ROUNDS, PG_POOL ?? 1]) {
  if (!Number.isInteger(value) || value <= 0 || value > 100_000) {
    throw new Error(`bench knobs must be positive integers up to 100000, got ${value}`);
  }
}
if (ROUNDS > 10) throw new Error("BENCH_ROUNDS is at most 10");
const PG_PORT = Number(new URL(PG_URL).port || 5432);

const run = promisify(execFile);
/** One statement through psql (no driver to load at the root); rows as lines, fields by |. */
const psql = async (statement) =>
  (
    await run("psql", [PG_URL, "-X", "-At", "-v", "ON_ERROR_STOP=1", "-c", statement], {
      timeout: 30_000,
    })
  ).stdout.trim();
const CLOCK_TICKS = Number((await run("getconf", ["CLK_TCK"])).stdout.trim()) || 100;

const apiKey = `rk_bench_${randomBytes(16).toString("hex")}`;
// maxRecorded 1: the records would otherwise grow without bound.
const simulator = await startWhatsAppSimulator({ maxRecorded: 1 });
const baseConfig = benchServerConfig(apiKey, [
  {
    connectionId: "healthy",
    conversationId: "healthy",
    baseUrl: simulator.baseUrl,
    ...simulator.credentials,
  },
]);
const directory = await mkdtemp(join(tmpdir(), "replykit-bench-store-"));
const SERVER = fileURLToPath(new URL("./load-server.mjs", import.meta.url));
/** Every schema this run created, dropped at the end whatever happened. */
const schemas = [];

/** A server child on `store`, ready, with a request/answer channel over IPC. */
async function startServer(store, name) {
  const configPath = join(directory, `${name}.json`);
  await writeFile(configPath, JSON.stringify({ ...baseConfig, store }, null, 2));
  return forkChild(SERVER, { env: { ...process.env, REPLYKIT_CONFIG: configPath } });
}

/** The PIDs of the PostgreSQL backends holding the child's connections (its sockets to PG_PORT). */
async function backendsOf(childPid) {
  const inodes = new Set();
  for (const fd of await readdir(`/proc/${childPid}/fd`)) {
    const link = await readlink(`/proc/${childPid}/fd/${fd}`).catch(() => "");
    const match = /^socket:\[(\d+)\]$/.exec(link);
    if (match) inodes.add(match[1]);
  }
  const ports = [];
  for (const file of ["/proc/net/tcp", "/proc/net/tcp6"]) {
    const text = await readFile(file, "utf8").catch(() => "");
    for (const row of text.split("\n").slice(1)) {
      const fields = row.trim().split(/\s+/);
      if (fields.length < 10 || !inodes.has(fields[9])) continue;
      const remotePort = Number.parseInt(fields[2].split(":")[1], 16);
      if (remotePort === PG_PORT) ports.push(Number.parseInt(fields[1].split(":")[1], 16));
    }
  }
  if (ports.length === 0) return [];
  const pids = await psql(
    `SELECT pid FROM pg_stat_activity WHERE client_port IN (${ports.join(",")}) ORDER BY pid`,
  );
  return pids === "" ? [] : pids.split("\n").map(Number);
}

/** CPU µs (user + system) of each process so far, by PID; a process gone is left out. */
async function cpuOfProcesses(pids) {
  const cpu = new Map();
  for (const pid of pids) {
    const stat = await readFile(`/proc/${pid}/stat`, "utf8").catch(() => undefined);
    if (stat === undefined) continue;
    // Fields after the command's closing parenthesis: state is field 3, utime 14, stime 15.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    cpu.set(pid, ((Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS) * 1e6);
  }
  return cpu;
}

const sendButtons = (sequence) =>
  sendButtonsRequest(apiKey, "healthy", sequence, {
    idempotencyKey: `store-${sequence}-${randomBytes(4).toString("hex")}`,
  });
const drive = (url, durationMs) =>
  driveClosedLoop({
    url,
    connections: CONNECTIONS,
    durationMs,
    maxRequests: MAX_REQUESTS,
    request: sendButtons,
  });

/** One configuration in a fresh server child: warm-up, then the measured load. */
async function measure(kind, round) {
  let store = { kind: "memory" };
  if (kind === "postgres") {
    const schema = `bench_store_${randomBytes(6).toString("hex")}`;
    schemas.push(schema);
    store = {
      kind: "postgres",
      url: PG_URL,
      schema,
      migrate: true,
      ...(PG_POOL === undefined ? {} : { poolSize: PG_POOL }),
    };
  }
  const server = await startServer(store, `${kind}-${round}`);
  let outcome;
  let warm;
  try {
    // Warm-up, not reported: connections (the client's and the store's pool), JIT.
    warm = await drive(server.url, WARMUP_MS);
    const backends = kind === "postgres" ? await backendsOf(server.pid) : [];
    const load = loadavg()[0];
    const cpuBefore = await server.ask("cpu");
    const backendsBefore = await cpuOfProcesses(backends);
    const result = await drive(server.url, DURATION_MS);
    const cpuAfter = await server.ask("cpu");
    const backendsAfter = await cpuOfProcesses(backends);
    // A connection opened during the load would be missing from the backends' figure: say so.
    const backendsLater = kind === "postgres" ? await backendsOf(server.pid) : [];
    let backendCpu = 0;
    for (const [pid, after] of backendsAfter)
      backendCpu += after - (backendsBefore.get(pid) ?? after);
    const serverCpu = cpuAfter.user + cpuAfter.system - (cpuBefore.user + cpuBefore.system);
    const sent = result.statuses.get(200) ?? 0;
    outcome = {
      kind,
      round,
      load,
      ...result,
      ok: result.latencies.get(200) ?? [],
      sent,
      serverCpuPerRequest: result.answered > 0 ? serverCpu / result.answered : Number.NaN,
      backends: backends.length,
      backendsChanged: backendsLater.join() !== backends.join(),
      backendCpuPerRequest:
        kind === "postgres" && result.answered > 0 ? backendCpu / result.answered : Number.NaN,
    };
  } finally {
    await server.close();
  }
  if (kind === "postgres") {
    // What the store wrote, per request issued (warm-up and those cut at the end included, the
    // server handles them all): the statistics of this
    // run's schema, read once its server (and so the backends) ended, which flushes them.
    await sleep(500);
    const rows = await psql(
      `SELECT relname, n_tup_ins, n_tup_upd, n_tup_del FROM pg_stat_user_tables WHERE schemaname = '${store.schema}' ORDER BY relname`,
    );
    const requests = warm.answered + warm.cutAtEnd + outcome.answered + outcome.cutAtEnd;
    outcome.writes = rows
      .split("\n")
      .filter((row) => row !== "")
      .map((row) => row.split("|"))
      .filter(([table]) => !table.endsWith("schema_migrations"))
      .filter(([, ...counts]) => counts.some((count) => Number(count) > 0))
      .map(
        ([table, inserted, updated, deleted]) =>
          `${table} ${fmt(inserted / requests, 2)}/${fmt(updated / requests, 2)}/${fmt(deleted / requests, 2)}`,
      )
      .join(", ");
  }
  return outcome;
}

const signed = (value) => `${value >= 0 ? "+" : ""}${fmt(value, 1)}`;
const loadBefore = loadavg();
const pgVersion = await psql("SHOW server_version");
const pgSettings = await psql(
  "SELECT string_agg(name || '=' || current_setting(name), ', ' ORDER BY name) FROM pg_settings WHERE name IN ('synchronous_commit', 'fsync', 'shared_buffers')",
);
const results = [];
try {
  for (let round = 1; round <= ROUNDS; round += 1) {
    for (const kind of ["memory", "postgres"]) {
      const result = await measure(kind, round);
      results.push(result);
      console.error(
        `  done: ${kind}, round ${round}: ${fmt(result.answered / (result.elapsedMs / 1000))} req/s`,
      );
    }
  }
} finally {
  await simulator.close();
  await rm(directory, { recursive: true, force: true });
  for (const schema of schemas) {
    await psql(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).catch((error) =>
      console.error(`  could not drop schema ${schema}: ${error.message}`),
    );
  }
  if (schemas.length > 0) console.error(`  dropped ${schemas.length} schema(s)`);
}

const perSecond = (result) => (result.answered / result.elapsedMs) * 1_000;
const cpu = cpus();
console.log(
  `${DURATION_MS / 1000} s per run after a ${WARMUP_MS / 1000} s warm-up, ${CONNECTIONS} keep-alive ` +
    "connections each with one request at a time (undici Pool), every request with its own " +
    "Idempotency-Key; provider: loopback WhatsApp simulator answering at once; server: " +
    `startStandalone in a fresh child process per run; ${ROUNDS} × (memory, PostgreSQL), alternately`,
);
console.log(
  `machine: ${cpu[0]?.model ?? "unknown CPU"} × ${cpu.length}, Node ${process.version}, ` +
    `load average ${loadBefore.map((v) => fmt(v, 2)).join(" ")} before and ${loadavg()
      .map((v) => fmt(v, 2))
      .join(" ")} after (1/5/15 min; this bench's own processes included)`,
);
console.log(
  `PostgreSQL ${pgVersion} at ${new URL(PG_URL).host} (${pgSettings}), server pool ${PG_POOL ?? "10 (default)"}, a fresh schema per run`,
);
const header = [
  "store",
  "round",
  "req/s",
  "p50 ms",
  "p99 ms",
  "server CPU µs/req",
  "PG backends CPU µs/req",
  "200",
  "other",
  "client err",
  "load 1-min",
];
const rows = results.map((result) => {
  const other = [...result.statuses]
    .filter(([status]) => status !== 200)
    .map(([status, count]) => `${status}×${count}`)
    .join(" ");
  return [
    result.kind,
    String(result.round),
    fmt(perSecond(result)),
    fmt(percentile(result.ok, 50), 1),
    fmt(percentile(result.ok, 99), 1),
    fmt(result.serverCpuPerRequest),
    result.kind === "postgres"
      ? `${fmt(result.backendCpuPerRequest)} (${result.backends} backends${result.backendsChanged ? ", changed during the load" : ""})`
      : "-",
    String(result.sent),
    other === "" ? "0" : other,
    String(result.clientErrors),
    fmt(result.load, 2),
  ];
});
const summary = {};
for (const kind of ["memory", "postgres"]) {
  const of = results.filter((result) => result.kind === kind);
  summary[kind] = {
    perSecond: median(of.map(perSecond)),
    p50: median(of.map((result) => percentile(result.ok, 50))),
    p99: median(of.map((result) => percentile(result.ok, 99))),
    serverCpu: median(of.map((result) => result.serverCpuPerRequest)),
    backendCpu: median(of.map((result) => result.backendCpuPerRequest)),
  };
  rows.push([
    kind,
    "median",
    fmt(summary[kind].perSecond),
    fmt(summary[kind].p50, 1),
    fmt(summary[kind].p99, 1),
    fmt(summary[kind].serverCpu),
    fmt(summary[kind].backendCpu),
    "",
    "",
    "",
    "",
  ]);
}
const widths = header.map((title, column) =>
  Math.max(title.length, ...rows.map((row) => row[column].length)),
);
const line = (cells) => cells.map((cell, column) => cell.padStart(widths[column])).join("  ");
console.log(line(header));
for (const row of rows) console.log(line(row));

const memory = summary.memory;
const pg = summary.postgres;
console.log("\nPostgreSQL vs memory (medians of the same run)");
console.log(`  throughput: ×${fmt(pg.perSecond / memory.perSecond, 2)}`);
console.log(
  `  server CPU per request: ×${fmt(pg.serverCpu / memory.serverCpu, 2)} (${fmt(memory.serverCpu)} → ${fmt(pg.serverCpu)} µs)`,
);
console.log(
  `  server + PG backends CPU per request: ×${fmt((pg.serverCpu + pg.backendCpu) / memory.serverCpu, 2)} (${fmt(memory.serverCpu)} → ${fmt(pg.serverCpu + pg.backendCpu)} µs)`,
);
console.log(
  `  p99 added by the store: ${signed(pg.p99 - memory.p99)} ms (${fmt(memory.p99, 1)} → ${fmt(pg.p99, 1)} ms); p50 added: ${signed(pg.p50 - memory.p50)} ms`,
);
// Each round's PostgreSQL run against the memory run just before it: the spread is the noise.
const perRound = [];
for (let round = 1; round <= ROUNDS; round += 1) {
  const m = results.find((result) => result.kind === "memory" && result.round === round);
  const p = results.find((result) => result.kind === "postgres" && result.round === round);
  if (m && p) {
    perRound.push(
      `round ${round}: throughput ×${fmt(perSecond(p) / perSecond(m), 2)}, server CPU ×${fmt(p.serverCpuPerRequest / m.serverCpuPerRequest, 2)}, p99 ${signed(percentile(p.ok, 99) - percentile(m.ok, 99))} ms`,
    );
  }
}
console.log(`  per round: ${perRound.join("; ")}`);
console.log("rows inserted/updated/deleted per request issued, by table (warm-up included)");
for (const result of results.filter((r) => r.kind === "postgres")) {
  console.log(`  round ${result.round}: ${result.writes || "none counted"}`);
}
