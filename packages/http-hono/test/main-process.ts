// The server's real entry point (`main.ts`) in a child process: signals, `process.exit` and
// a second instance included.
import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const here = dirname(fileURLToPath(import.meta.url));

export interface MainBundle {
  readonly path: string;
  remove(): Promise<void>;
}

/**
 * `main.ts` (or `admin.ts`) bundled with its workspace sources (the `@replykit/source` condition, as the
 * tests use), so the process under test never depends on a `dist/` that may be stale or absent.
 */
export async function bundleMain(entry: "main" | "admin" = "main"): Promise<MainBundle> {
  const folder = await mkdtemp(join(tmpdir(), `replykit-${entry}-`));
  const path = join(folder, `${entry}.mjs`);
  await build({
    entryPoints: [resolve(here, `../src/node/${entry}.ts`)],
    outfile: path,
    bundle: true,
    splitting: false,
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
  return { path, remove: () => rm(folder, { recursive: true, force: true }) };
}

export interface Running {
  readonly child: ChildProcessWithoutNullStreams;
  readonly url: string;
  readonly lines: string[];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>;
}

/** Starts the bundle with `env` (and PORT 0); resolves once it says where it listens. */
export async function startMain(bundle: MainBundle, env: Record<string, string>): Promise<Running> {
  const child = spawn(process.execPath, [bundle.path], {
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
