// What the benches share: a forked child answering over IPC, a closed-loop HTTP load, medians
// and percentiles, and a line about the machine the figures were taken on.
import { fork } from "node:child_process";
import { createHash } from "node:crypto";
import { setMaxListeners } from "node:events";
import { cpus, loadavg } from "node:os";
import { setTimeout as sleep } from "node:timers/promises";
import { Pool } from "undici";

/**
 * Forks `script` (with `args`) and waits for its `{ type: "ready", … }` message. `ask(type)`
 * sends `{ type }` and resolves with the next message; `close()` asks it to close and waits
 * for its exit (killed after 30 s).
 */
export async function forkChild(script, { args = [], env = process.env } = {}) {
  const child = fork(script, args, { env, stdio: ["ignore", "inherit", "inherit", "ipc"] });
  const exited = new Promise((resolve) => child.once("exit", resolve));
  const replies = [];
  child.on("message", (message) => replies.shift()?.(message));
  const ask = (type, timeoutMs = 60_000) =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`${script}: no "${type}" answer`)),
        timeoutMs,
      );
      exited.then((code) => {
        clearTimeout(timer);
        reject(new Error(`${script} exited (${code}) before its "${type}" answer`));
      });
      replies.push((message) => {
        clearTimeout(timer);
        resolve(message);
      });
      if (type !== "ready") child.send({ type });
    });
  // A child that never got ready would outlive this process: nobody holds its close().
  const ready = await ask("ready").catch((error) => {
    child.kill("SIGKILL");
    throw error;
  });
  const close = async () => {
    if (child.connected) child.send({ type: "close" });
    const kill = setTimeout(() => child.kill("SIGKILL"), 30_000);
    await exited;
    clearTimeout(kill);
  };
  return { ...ready, pid: child.pid, ask, close };
}

/** Numbers every request of this process, across loads: a key made from it is never reused. */
let sequence = 0;

/**
 * `connections` clients, each sending one request at a time on its own keep-alive socket (an
 * undici Pool), until `durationMs` has passed or `maxRequests` were issued. `request(sequence)`
 * gives each request's `{ path, method, headers, body }`. Returns the latencies (ms, sorted) by
 * status, the count of answers by status, `answered`, `issued`, `clientErrors` (failures before
 * the deadline), `cutAtEnd` (still pending at the deadline) and `elapsedMs`.
 */
export async function driveClosedLoop({ url, connections, durationMs, maxRequests, request }) {
  const pool = new Pool(url, { connections, pipelining: 1, keepAliveTimeout: 30_000 });
  const stop = new AbortController();
  // One signal for every client's request: each adds a listener.
  setMaxListeners(connections + 10, stop.signal);
  const latencies = new Map();
  let issued = 0;
  let clientErrors = 0;
  let cutAtEnd = 0;
  const started = performance.now();
  const timer = setTimeout(() => stop.abort(), durationMs);
  const client = async () => {
    while (!stop.signal.aborted && issued < maxRequests) {
      issued += 1;
      sequence += 1;
      const sentAt = performance.now();
      try {
        const response = await pool.request({ ...request(sequence), signal: stop.signal });
        await response.body.dump();
        const status = response.statusCode;
        if (!latencies.has(status)) latencies.set(status, []);
        latencies.get(status).push(performance.now() - sentAt);
      } catch {
        // At the deadline the clients give up on what is still pending, as real ones would.
        if (stop.signal.aborted) cutAtEnd += 1;
        else {
          clientErrors += 1;
          await sleep(10); // a refused or reset connection must not become a busy loop
        }
      }
    }
  };
  await Promise.all(Array.from({ length: connections }, client));
  const elapsedMs = performance.now() - started;
  clearTimeout(timer);
  await pool.destroy();
  const statuses = new Map();
  let answered = 0;
  for (const [status, list] of latencies) {
    list.sort((a, b) => a - b);
    statuses.set(status, list.length);
    answered += list.length;
  }
  return { latencies, statuses, answered, issued, clientErrors, cutAtEnd, elapsedMs };
}

/**
 * Requests at a fixed rate, whatever the server's speed (an open loop): `ratePerSecond` for
 * `durationMs`, on an undici Pool of `connections` keep-alive sockets. Each latency runs from
 * when the request was due, not from when a socket took it, so that a server falling behind
 * shows as latency rather than as requests quietly sent later. Requests still waiting past
 * `maxInFlight` are counted as `dropped` and never sent: the load stays bounded. Returns the
 * sorted latencies (ms) of the 200s, the count of other answers, `dropped`, `clientErrors`
 * and `elapsedMs`.
 */
export async function driveOpenLoop({
  url,
  ratePerSecond,
  durationMs,
  connections,
  maxInFlight,
  request,
}) {
  const pool = new Pool(url, { connections, pipelining: 1, keepAliveTimeout: 30_000 });
  const ok = [];
  let other = 0;
  let dropped = 0;
  let clientErrors = 0;
  let inFlight = 0;
  const total = Math.floor((ratePerSecond * durationMs) / 1000);
  const intervalMs = 1000 / ratePerSecond;
  const pending = [];
  const started = performance.now();
  const send = async (dueAt) => {
    inFlight += 1;
    sequence += 1;
    try {
      const response = await pool.request(request(sequence));
      await response.body.dump();
      if (response.statusCode === 200) ok.push(performance.now() - dueAt);
      else other += 1;
    } catch {
      clientErrors += 1;
    } finally {
      inFlight -= 1;
    }
  };
  let issued = 0;
  while (issued < total) {
    const now = performance.now();
    // Every request due by now goes out, each timed from its own due moment.
    while (issued < total && started + issued * intervalMs <= now) {
      const dueAt = started + issued * intervalMs;
      issued += 1;
      if (inFlight >= maxInFlight) dropped += 1;
      else pending.push(send(dueAt));
    }
    await sleep(1);
  }
  await Promise.all(pending);
  const elapsedMs = performance.now() - started;
  await pool.destroy();
  ok.sort((a, b) => a - b);
  return { ok, other, dropped, clientErrors, elapsedMs };
}

export const SEND_BUTTONS_PATH = "/messages/interactive/send-buttons";

/**
 * The benches' send: agent-bench's two-button message into `conversationId`, its body text
 * numbered by `sequence` (so that no two bodies are equal), with a header text and an
 * `Idempotency-Key` when given.
 */
export function sendButtonsRequest(apiKey, conversationId, sequence, options = {}) {
  return {
    path: SEND_BUTTONS_PATH,
    method: "POST",
    headers: {
      authorization: `Bearer ${apiKey}`,
      "content-type": "application/json",
      ...(options.idempotencyKey === undefined
        ? {}
        : { "idempotency-key": options.idempotencyKey }),
    },
    body: JSON.stringify({
      agentId: "agent-bench",
      conversationId,
      ...(options.headerText === undefined ? {} : { header_text: options.headerText }),
      body_text: `Did your order arrive? #${sequence}`,
      button_1_id: "yes",
      button_1_title: "Yes",
      button_2_id: "no",
      button_2_title: "No",
    }),
  };
}

export const median = (values) => {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

/** Percentile of sorted numbers (nearest rank). */
export const percentile = (sorted, p) =>
  sorted.length === 0
    ? Number.NaN
    : sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];

export const fmt = (value, digits = 0) => (Number.isFinite(value) ? value.toFixed(digits) : "-");

/** CPU model, cores, Node version and the 1-min load average now. */
export function machine() {
  const list = cpus();
  return `${list[0]?.model.trim() ?? "unknown CPU"} × ${list.length}, Node ${process.versions.node}, 1-min load average ${loadavg()[0].toFixed(2)}`;
}

/** Prints a table whose first row is the header; columns right-aligned but the first. */
export function printTable(rows) {
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  for (const row of rows) {
    console.log(
      row
        .map((cell, column) =>
          column === 0 ? cell.padEnd(widths[column]) : cell.padStart(widths[column]),
        )
        .join("  "),
    );
  }
}

/**
 * The configuration every bench server reads: one organization, one API key (by its
 * SHA-256), agent `agent-bench`, and per entry a WhatsApp connection and a conversation on it.
 */
export function benchServerConfig(apiKey, entries) {
  return {
    organizations: [{ id: "bench" }],
    apiKeys: [
      {
        id: "bench",
        organizationId: "bench",
        sha256: createHash("sha256").update(apiKey).digest("hex"),
      },
    ],
    agents: [{ id: "agent-bench", organizationId: "bench" }],
    channelConnections: entries.map((entry) => ({
      id: entry.connectionId,
      organizationId: "bench",
      provider: "whatsapp",
      baseUrl: entry.baseUrl,
      accessToken: entry.accessToken,
      phoneNumberId: entry.phoneNumberId,
    })),
    conversations: entries.map((entry, index) => ({
      id: entry.conversationId,
      organizationId: "bench",
      channelConnectionId: entry.connectionId,
      recipient: `55119999900${String(index + 1).padStart(2, "0")}`,
    })),
  };
}
