import { EventEmitter } from "node:events";
import { createJsonLogger } from "@replykit/http-app";
import { describe, expect, it } from "vitest";
import { installShutdown } from "../src/node/shutdown.js";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A process stand-in: signals are emitted by the test, exits are recorded. */
function harness(close: () => Promise<unknown>, deadlineMs = 1_000) {
  const signals = new EventEmitter();
  const exits: number[] = [];
  const lines: Record<string, unknown>[] = [];
  let closeCalls = 0;
  const uninstall = installShutdown({
    close: () => {
      closeCalls += 1;
      return close();
    },
    logger: createJsonLogger({ write: (line) => lines.push(JSON.parse(line)) }),
    deadlineMs,
    signals,
    exit: (code) => exits.push(code),
  });
  return {
    signals,
    exits,
    lines,
    events: () => lines.map((line) => line.event),
    closeCalls: () => closeCalls,
    uninstall,
  };
}

describe("shutdown on a signal", () => {
  it("on SIGTERM closes the server, logs each step, and exits 0 once it is closed", async () => {
    let finishClose: () => void = () => undefined;
    const run = harness(() => new Promise<void>((resolve) => (finishClose = resolve)));
    run.signals.emit("SIGTERM", "SIGTERM");
    await sleep(20);
    // Nothing exits while the server is still draining.
    expect(run.exits).toEqual([]);
    expect(run.closeCalls()).toBe(1);
    finishClose();
    await expect.poll(() => run.exits).toEqual([0]);
    expect(run.lines).toEqual([
      expect.objectContaining({
        event: "process.shutdown_started",
        signal: "SIGTERM",
        deadlineMs: 1_000,
      }),
      expect.objectContaining({ level: "info", event: "process.exit", code: 0 }),
    ]);
  });

  it("does the same on SIGINT", async () => {
    const run = harness(async () => undefined);
    run.signals.emit("SIGINT", "SIGINT");
    await expect.poll(() => run.exits).toEqual([0]);
  });

  it("exits 1 at the deadline when closing hangs, and only once", async () => {
    const run = harness(() => new Promise(() => undefined), 100);
    const startedAt = Date.now();
    run.signals.emit("SIGTERM", "SIGTERM");
    await expect.poll(() => run.exits).toEqual([1]);
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(90);
    expect(run.lines).toContainEqual(
      expect.objectContaining({ level: "error", event: "process.shutdown_deadline_exceeded" }),
    );
    await sleep(150);
    expect(run.exits).toEqual([1]);
  });

  it("exits 1 when closing fails, saying why", async () => {
    const run = harness(async () => {
      throw new Error("transport stuck");
    });
    run.signals.emit("SIGTERM", "SIGTERM");
    await expect.poll(() => run.exits).toEqual([1]);
    expect(run.lines).toContainEqual(
      expect.objectContaining({
        level: "error",
        event: "process.shutdown_failed",
        errorMessage: "transport stuck",
      }),
    );
  });

  it("exits 1 at once on a second signal, without closing twice", async () => {
    const run = harness(() => new Promise(() => undefined), 10_000);
    run.signals.emit("SIGTERM", "SIGTERM");
    run.signals.emit("SIGINT", "SIGINT");
    expect(run.exits).toEqual([1]);
    expect(run.closeCalls()).toBe(1);
    expect(run.events()).toEqual(["process.shutdown_started", "process.shutdown_forced"]);
  });

  it("stops listening to signals once uninstalled", () => {
    const run = harness(async () => undefined);
    run.uninstall();
    expect(run.signals.listenerCount("SIGTERM")).toBe(0);
    expect(run.signals.listenerCount("SIGINT")).toBe(0);
  });
});
