// What the benches share: a forked child answering over IPC, medians and percentiles, and a
// line about the machine the figures were taken on.
import { fork } from "node:child_process";
import { cpus, loadavg } from "node:os";

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
  const ready = await ask("ready");
  const close = async () => {
    if (child.connected) child.send({ type: "close" });
    const kill = setTimeout(() => child.kill("SIGKILL"), 30_000);
    await exited;
    clearTimeout(kill);
  };
  return { ...ready, pid: child.pid, ask, close };
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
