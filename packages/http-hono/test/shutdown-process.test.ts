import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sendWithKey, slowProviderSetup } from "./shutdown-fixture.js";

const here = dirname(fileURLToPath(import.meta.url));

/**
 * `main.ts` bundled with its workspace sources (the `@replykit/source` condition, as the
 * tests use): the process under test is the real entry point, signals and `process.exit`
 * included, without depending on a `dist/` that may be stale or absent.
 */
let bundleFolder: string;
let mainBundle: string;
beforeAll(async () => {
  bundleFolder = await mkdtemp(join(tmpdir(), "replykit-main-"));
  mainBundle = join(bundleFolder, "main.mjs");
  await build({
    entryPoints: [resolve(here, "../src/node/main.ts")],
    outfile: mainBundle,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    conditions: ["@replykit/source"],
    // Bundled CommonJS dependencies call require(), which an ES module lacks.
    banner: {
      js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
    },
    logLevel: "error",
  });
}, 60_000);
afterAll(async () => {
  await rm(bundleFolder, { recursive: true, force: true });
});

interface Running {
  readonly child: ChildProcessWithoutNullStreams;
  readonly url: string;
  readonly lines: string[];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>;
}

async function startMain(env: Record<string, string>): Promise<Running> {
  const child = spawn(process.execPath, [mainBundle], {
    env: { PATH: process.env.PATH ?? "", PORT: "0", ...env },
    stdio: "pipe",
  });
  const lines: string[] = [];
  let pending = "";
  let stderr = "";
  child.stderr.on("data", (data: Buffer) => {
    stderr += data.toString();
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>(
    (done) => child.once("exit", (code, signal) => done({ code, signal, at: Date.now() })),
  );
  const url = await new Promise<string>((done, fail) => {
    child.stdout.on("data", (data: Buffer) => {
      pending += data.toString();
      const complete = pending.split("\n");
      pending = complete.pop() ?? "";
      for (const line of complete) {
        lines.push(line);
        const listening = /listening on (http:\/\/\S+)/.exec(line);
        if (listening?.[1] !== undefined) done(listening[1]);
      }
    });
    void exited.then(({ code }) =>
      fail(new Error(`main exited (${code}) before listening: ${stderr}`)),
    );
  });
  return { child, url, lines, exited };
}

const logged = (lines: readonly string[]) =>
  lines.flatMap((line) => {
    try {
      return [JSON.parse(line) as Record<string, unknown>];
    } catch {
      return [];
    }
  });

describe("the server process on SIGTERM", () => {
  it("with sends in flight on a 20 s provider: answers each, logs each step, and exits 0 within the deadline", async () => {
    const setup = await slowProviderSetup({ latencyMs: 20_000 });
    try {
      const graceMs = 300;
      const main = await startMain({ ...setup.env, REPLYKIT_SHUTDOWN_GRACE_MS: String(graceMs) });
      const keys = ["p-1", "p-2", "p-3"];
      const fates = keys.map((key) => sendWithKey(main.url, key));
      await expect.poll(() => setup.simulator.received.length).toBe(keys.length);

      const signalledAt = Date.now();
      main.child.kill("SIGTERM");
      const { code, signal, at } = await main.exited;
      expect({ code, signal }).toEqual({ code: 0, signal: null });
      // The grace period and the interrupted requests' second to answer, with slack for a
      // process on a busy machine; far from the provider's 20 s.
      expect(at - signalledAt).toBeLessThan(graceMs + 1_000 + 1_500);

      for (const fate of await Promise.all(fates)) {
        expect(fate).toMatchObject({ status: 503, body: { error: { deliveryUnknown: true } } });
      }
      const lines = logged(main.lines);
      expect(
        lines
          .map((line) => String(line.event))
          .filter((event) => event.startsWith("process.") || event.startsWith("server.")),
      ).toEqual([
        "process.shutdown_started",
        "server.closing",
        "server.grace_expired",
        "server.closed",
        "server.transport_closed",
        "process.exit",
      ]);
      expect(setup.simulator.received).toHaveLength(keys.length);
    } finally {
      await setup.cleanUp();
    }
  });

  it("with nothing in flight: exits 0 at once", async () => {
    const setup = await slowProviderSetup();
    try {
      const main = await startMain(setup.env);
      const signalledAt = Date.now();
      main.child.kill("SIGTERM");
      const { code, at } = await main.exited;
      expect(code).toBe(0);
      expect(at - signalledAt).toBeLessThan(1_000);
      expect(logged(main.lines).find((line) => line.event === "server.closed")).toMatchObject({
        inFlightAtClose: 0,
        drained: true,
        cut: 0,
      });
    } finally {
      await setup.cleanUp();
    }
  });
});
